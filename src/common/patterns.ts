/**
 * Every pattern the API validates input with, or documents in OpenAPI, written once as a
 * RegExp literal: `npm run lint` checks literals for super-linear backtracking and moves
 * (eslint-plugin-regexp), and the document's string form is each literal's `.source`, so
 * what the document promises is what was checked. Each one is linear in its input's length,
 * and each check bounds the input's length before the pattern runs (`MatchesWithin`).
 */

/** An ObjectId in the path, as ParseObjectIdPipe takes it (either case). */
export const OBJECT_ID_PARAM = /^[0-9a-fA-F]{24}$/;

/** An ObjectId as the API writes it. */
export const OBJECT_ID = /^[0-9a-f]{24}$/;

/** A job id: BullMQ's numbers or our `name-<id>` forms (spelled out: `\w` means more elsewhere). */
export const JOB_ID = /^[A-Za-z0-9_-]+$/;

/**
 * Every cursor's form: base64url, a dot, the signature's 22 base64url characters (16 bytes).
 * The dot is outside the first class, so the split point is fixed: no backtracking.
 */
export const CURSOR = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/;

/**
 * A name shown in lists as it is: not blank, and no control character (C0, DEL, C1). Leading
 * blanks, then one visible character, then anything but a control: the first two classes
 * are disjoint, so where the visible part starts is fixed and a refused name costs one pass.
 * (`^[^ctrl]*\S[^ctrl]*$`, the form it replaces, let the two stars trade characters:
 * quadratic on a long name that fails at its end; and `\S` let a control that is no
 * whitespace, such as ESC or NEL, through.) The blanks are JavaScript's `\s` less its
 * controls, spelled out, and controls are ranges, not `\p{Cc}`: `\s` and `\p` mean other
 * sets (or nothing) in the regex engines clients validate the document's form with.
 */
export const TOKEN_NAME =
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /^[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*[^ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$/;

/** Not blank: one character that is no whitespace, anywhere (the document's form of content). */
export const NOT_BLANK = /\S/;

/** An `X-Request-Id` the service takes from the client: 1-128 of `A-Z a-z 0-9 _ . : -`. */
export const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** An `Idempotency-Key`: 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

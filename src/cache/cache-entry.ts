import { etagOf } from '../http/entity-tags.js';

/** A view's serialized body and its entity tag, computed once when the body is made. */
export interface Representation {
  body: string;
  etag: string;
}

export const represent = (body: string): Representation => ({ body, etag: etagOf(body) });

/**
 * An entry is `<generation>\n<etag>\n<body>`: valid only while its generation is the
 * current one. The tag is stored, so a hit (and its 304) costs no hashing.
 */
export const wrap = (generation: string, { etag, body }: Representation) =>
  `${generation}\n${etag}\n${body}`;

/** The entry's representation while `generation` is current; `undefined` otherwise. */
export function unwrapView(entry: string, generation: string): Representation | undefined {
  const rest = unwrapStamped(entry, generation);
  if (rest === undefined) return undefined;
  const tagEnd = rest.indexOf('\n');
  if (tagEnd < 0) return undefined;
  return { etag: rest.slice(0, tagEnd), body: rest.slice(tagEnd + 1) };
}

/** What follows `<stamp>\n` in an entry while `stamp` is current; `undefined` otherwise. */
export function unwrapStamped(entry: string | undefined, stamp: string): string | undefined {
  return entry?.startsWith(`${stamp}\n`) ? entry.slice(stamp.length + 1) : undefined;
}

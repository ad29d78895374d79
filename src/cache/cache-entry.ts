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
export function unwrap(entry: string, generation: string): Representation | undefined {
  if (!entry.startsWith(`${generation}\n`)) return undefined;
  const tagEnd = entry.indexOf('\n', generation.length + 1);
  if (tagEnd < 0) return undefined;
  return { etag: entry.slice(generation.length + 1, tagEnd), body: entry.slice(tagEnd + 1) };
}

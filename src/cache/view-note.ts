/**
 * What a handler may hand the cache beside its result: a note a later write needs to carry
 * the view forward (`ViewCarry`), kept in Redis beside the view and never sent. It rides on
 * the result under a symbol, so serializing the result leaves it out.
 */
const VIEW_NOTE = Symbol('view note');

type Noted = { [VIEW_NOTE]?: string };

/** `result`, noted (no note: as it is). */
export function withNote<T extends object>(result: T, note: string | undefined): T {
  if (note !== undefined) Object.defineProperty(result, VIEW_NOTE, { value: note });
  return result;
}

/** The note a handler's result carries, if any. */
export function noteOf(result: unknown): string | undefined {
  return typeof result === 'object' && result !== null ? (result as Noted)[VIEW_NOTE] : undefined;
}

/** What loading a view made: its body, or its body and a note (a view a write can carry). */
export type Loaded = string | { body: string; note?: string };

/** A load's body and note, whichever form it came in. */
export const loadedParts = (loaded: Loaded): { body: string; note?: string } =>
  typeof loaded === 'string' ? { body: loaded } : loaded;

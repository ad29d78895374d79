export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface UntilOptions {
  /** Gives up, throwing, once an attempt fails after this long. */
  timeoutMs: number;
  /** The pause between attempts; 0 tries again at once. */
  intervalMs: number;
  /** What is waited for, as the error names it. */
  message: string;
  /** A `what` that throws is a failed attempt (its error the value seen) rather than the end. */
  retryErrors?: boolean;
  /** More for the error, read when it is thrown (e.g. a process's output). */
  detail?: () => string;
}

/**
 * Calls `what` until `ok` holds for its value, and resolves with that value; throws, naming
 * `message` and the last value seen, when an attempt fails past `timeoutMs`.
 */
export async function until<T>(
  what: () => Promise<T> | T,
  ok: (value: T) => boolean,
  { timeoutMs, intervalMs, message, retryErrors = false, detail }: UntilOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: unknown;
    try {
      const value = await what();
      if (ok(value)) return value;
      last = value;
    } catch (error) {
      if (!retryErrors) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      const extra = detail ? `\n${detail()}` : '';
      throw new Error(`${message}: not within ${timeoutMs} ms; last seen ${show(last)}${extra}`);
    }
    if (intervalMs > 0) await sleep(intervalMs);
  }
}

function show(value: unknown): string {
  if (value instanceof Error) return String(value);
  // A response's Headers would print as {}: shown as their entries.
  const replacer = (_key: string, field: unknown) =>
    field instanceof Headers ? Object.fromEntries(field) : field;
  return (JSON.stringify(value, replacer) ?? String(value)).slice(0, 2_000);
}

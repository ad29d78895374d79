// What the benchmarks share: their run length, where their data lives, accounts, waiting and
// medians, memory.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Seconds per wrk run, and runs per cell whose median is kept (BENCH_DURATION, BENCH_REPEATS). */
export const DURATION = Number(process.env.BENCH_DURATION ?? 10);
export const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

/**
 * The cursor secret of this run's API processes: production refuses the public development
 * one, and every process of one target must sign alike.
 */
export const BENCH_CURSOR_SECRET = randomBytes(32).toString('base64url');

/** `MONGODB_URI` (or the local default) with its database replaced by `database`. */
export function mongoUri(database) {
  const url = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/todo');
  url.pathname = `/${database}`;
  return url.toString();
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
export function peakRssMb(pid) {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

/**
 * A session token for the bench account on the API at `base`, registering the account the
 * first time; `undefined` for a build from before accounts (no `/auth/register`).
 */
export async function benchToken(base, email = 'bench@example.com') {
  const body = JSON.stringify({ email, password: 'bench password 1' });
  const headers = { 'content-type': 'application/json' };
  const registered = await fetch(`${base}/auth/register`, { method: 'POST', headers, body });
  if (registered.status === 404) return undefined;
  if (registered.status !== 201 && registered.status !== 409) {
    throw new Error(`register answered ${registered.status}`);
  }
  const login = await fetch(`${base}/auth/login`, { method: 'POST', headers, body });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return (await login.json()).token;
}

/** `Authorization` for a token, none without one. */
export const authHeaders = (token) => (token ? { authorization: `Bearer ${token}` } : {});

/** The middle value (the upper one of an even count): a run's figure among its repeats. */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Resolves once `url` answers 2xx, polling every 100 ms; rejects after `tries` polls. */
export async function waitFor(url, tries = 3_000) {
  for (let i = 0; i < tries; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer`);
}

/** A Markdown table, each column as wide as its widest cell. */
export function markdownTable(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n');
}

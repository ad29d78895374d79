// The processes a benchmark starts (FerretDB, the API, commands), stopped with it however it
// ends, and the waits for them.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The FerretDB binary `scripts/stores.sh --ferretdb-binary` builds. */
export const FERRETDB = join(process.env.DATA_DIR ?? '.data', 'bin/ferretdb');

const children = new Set();
const stopped = new WeakSet();

/** Spawns a process, its output to `log` (else stderr only); an unexpected exit is printed. */
export function start(name, command, args, { env = {}, log } = {}) {
  const output = log ? openSync(log, 'w') : 'ignore';
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', output, log ? output : 'inherit'],
  });
  if (log) closeSync(output); // the child has its own copy
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopped.has(child)) {
      console.error(`${name} exited with ${signal ?? code}${log ? ` (its log: ${log})` : ''}`);
    }
  });
  return child;
}

/** SIGTERM to every process still running (on the benchmark's exit, whatever its cause). */
export function stopAll() {
  for (const child of children) {
    stopped.add(child);
    child.kill('SIGTERM');
  }
}

/** SIGTERM to each, resolved once all have exited (SIGKILL for one still up after 30 s). */
export function stop(processes) {
  return Promise.all(
    processes
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map(
        (child) =>
          new Promise((resolve) => {
            stopped.add(child);
            child.once('exit', resolve);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
          }),
      ),
  );
}

export function answersTcp(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitForTcp(port) {
  for (let i = 0; i < 300; i++) {
    if (await answersTcp(port)) return;
    await sleep(100);
  }
  throw new Error(`nothing answered on 127.0.0.1:${port}`);
}

/** Builds the FerretDB binary when its source is newer (quick when it is not). */
export function buildFerretdb() {
  execFileSync('bash', ['scripts/stores.sh', '--ferretdb-binary'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * The URL of an empty PostgreSQL database `name` on the private cluster the tests use
 * (started when it is not up), whatever EMBEDDED_DB says.
 */
export function freshPgDatabase(name) {
  return execFileSync('bash', ['scripts/stores.sh', '--fresh-pg-database', name], {
    env: { ...process.env, EMBEDDED_DB: 'postgresql' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

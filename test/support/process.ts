import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { until } from './wait.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
  /**
   * Resolves once `url` answers 200 (whatever the log level); rejects, and kills the
   * process, if it exits first or after `ms`.
   */
  waitForHttp(url: string, ms?: number): Promise<void>;
}

/**
 * The secrets a process booting in production form needs (production refuses the public
 * development ones): made once per test file, so every process of a file signs alike.
 */
export const PRODUCTION_SECRETS = {
  CURSOR_SECRET: randomBytes(32).toString('base64url'),
} as const;

/**
 * Runs a built entrypoint (`dist/*.js`, built by `npm test` before the e2e suite); in
 * production form with PRODUCTION_SECRETS unless `env` names its own.
 */
export function runEntrypoint(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
): RunningProcess {
  const file = `dist/${entry}.js`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return runCommand([process.execPath, file, ...args], {
    ...process.env,
    NODE_ENV: 'test',
    RATE_LIMIT_MAX: '0',
    ...(env.NODE_ENV === 'production' ? PRODUCTION_SECRETS : {}),
    ...env,
  });
}

/** Runs `command` with exactly the environment `env`, in `cwd` (default: here). */
export function runCommand(
  [command, ...args]: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): RunningProcess {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out + err,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForHttp(url, ms = 20_000) {
      const exited = () => child.exitCode !== null || child.signalCode !== null;
      const answers = async () => {
        if (exited()) throw new Error(`exited before ${url} answered:\n${out}${err}`);
        return fetch(url).then(
          (response) => response.ok,
          () => false,
        );
      };
      const options = { timeoutMs: ms, intervalMs: 50, message: `${url} answering 200` };
      await until(answers, Boolean, { ...options, detail: () => out + err }).catch((error) => {
        if (!exited()) child.kill('SIGKILL');
        throw error;
      });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether a process of this pid is still there. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

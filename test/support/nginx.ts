import { shareDefaultAccount } from './auth.js';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';
import { until } from './wait.js';

export interface NginxOptions {
  /** `host:port` of each API process. */
  upstreams: string[];
  rateLimit?: string;
  burst?: number;
}

export interface TestNginx {
  url: string;
  accessLog(): string;
  stop(): Promise<void>;
}

/**
 * Runs Debian's nginx with the project's template through `scripts/nginx.sh` (which renders
 * it as the official image does), in a private directory, on a free port.
 */
export async function startNginx(options: NginxOptions): Promise<TestNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'todo-nginx-'));
  const port = await freePort();
  let output = '';
  const child = spawn('bash', ['scripts/nginx.sh', dir], {
    env: {
      ...process.env,
      NGINX_PORT: `127.0.0.1:${port}`,
      API_UPSTREAM_SERVERS: options.upstreams.map((server) => `server ${server};`).join(' '),
      NGINX_RATE_LIMIT: options.rateLimit ?? '10000r/s',
      NGINX_RATE_BURST: String(options.burst ?? 10_000),
      NGINX_WORKERS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // Any answer will do: nginx is up once it answers at all.
  const answers = async () => {
    const answered = await fetch(`${url}/health/live`).then(
      () => true,
      () => false,
    );
    if (!answered && child.exitCode !== null) throw new Error(`nginx exited at start:\n${output}`);
    return answered;
  };
  await until(answers, Boolean, {
    timeoutMs: 10_000,
    intervalMs: 50,
    message: `nginx answering on ${url}`,
    detail: () => output,
  });
  const accessLog = join(dir, 'access.log');
  // Through nginx, requests act as the account of the APIs behind it.
  shareDefaultAccount(url, `http://${options.upstreams[0]}`);
  return {
    url,
    accessLog: () => (existsSync(accessLog) ? readFileSync(accessLog, 'utf8') : ''),
    async stop() {
      // QUIT: nginx finishes what it is serving, then exits.
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

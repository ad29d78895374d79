import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

const TEMPLATE = 'nginx/templates/todo-service.conf.template';
/** The variables the template documents; envsubst replaces only these, as the image does. */
const VARIABLES = [
  'NGINX_PORT',
  'API_UPSTREAM_SERVERS',
  'NGINX_RATE_LIMIT',
  'NGINX_RATE_BURST',
  'NGINX_ACCESS_LOG',
];

export interface NginxOptions {
  /** `host:port` of each API process. */
  upstreams: string[];
  rateLimit?: string;
  burst?: number;
}

export interface TestNginx {
  url: string;
  port: number;
  accessLog(): string;
  stop(): Promise<void>;
}

/**
 * Runs Debian's nginx with the project's template, rendered by envsubst exactly as the
 * official image renders it, inside a minimal main configuration of its own (temp paths,
 * pid and logs in a private directory, so tests never touch the system's nginx).
 */
export async function startNginx(options: NginxOptions): Promise<TestNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'todo-nginx-'));
  const port = await freePort();
  const accessLog = join(dir, 'access.log');
  const values: Record<string, string> = {
    NGINX_PORT: `127.0.0.1:${port}`,
    API_UPSTREAM_SERVERS: options.upstreams.map((server) => `server ${server};`).join(' '),
    NGINX_RATE_LIMIT: options.rateLimit ?? '10000r/s',
    NGINX_RATE_BURST: String(options.burst ?? 10_000),
    NGINX_ACCESS_LOG: accessLog,
  };
  const rendered = spawnSync('envsubst', [VARIABLES.map((name) => `$${name}`).join(' ')], {
    input: readFileSync(TEMPLATE, 'utf8'),
    env: { ...process.env, ...values },
    encoding: 'utf8',
  });
  if (rendered.status !== 0) throw new Error(`envsubst failed: ${rendered.stderr}`);
  writeFileSync(join(dir, 'todo-service.conf'), rendered.stdout);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/todo-service.conf;
}
`,
  );
  const args = ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')];
  const check = spawnSync('nginx', [...args, '-t'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t refused the configuration:\n${check.stderr}`);
  const child: ChildProcess = spawn('nginx', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitForPort(url, child);
  return {
    url,
    port,
    accessLog: () => (existsSync(accessLog) ? readFileSync(accessLog, 'utf8') : ''),
    async stop() {
      // QUIT: nginx finishes what it is serving, then exits.
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('nginx exited at start');
    // Any answer will do (a 503 while the upstreams warm up is still nginx answering).
    if (
      await fetch(`${url}/health/live`).then(
        () => true,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

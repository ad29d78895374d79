// `npm run bench:round-trips -- [<dir>]`: the Redis commands one cached hit of GET /todos costs,
// counted by Redis itself. Starts a redis-server of its own (so no other client is counted),
// the API built in <dir> (default: here) on it in production form with the rate limit on, and
// — for a build with accounts — an account of its own; warms page 1, resets Redis's command
// statistics, sends HITS hits one after the other, and prints each command's calls per hit.
//   BENCH_HITS  hits to count (1000)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { authHeaders, BENCH_CURSOR_SECRET, benchToken, mongoUri } from './lib.mjs';

const HITS = Number(process.env.BENCH_HITS ?? 1_000);
const dir = resolve(process.argv[2] ?? '.');
const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));

const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

async function until(check, what) {
  for (let i = 0; i < 300; i++) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not come up`);
}

const [redisPort, apiPort] = [await freePort(), await freePort()];
const redisDir = mkdtempSync(join(tmpdir(), 'todo-round-trips-'));
children.push(
  spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', redisDir, '--save', ''],
    {
      stdio: 'ignore',
    },
  ),
);
const redis = new Redis({ port: redisPort });
redis.on('error', () => undefined); // refused until the server is up; it reconnects
await until(async () => redis.status === 'ready', 'redis-server');

const base = `http://127.0.0.1:${apiPort}`;
children.push(
  spawn(process.execPath, [`${dir}/dist/main.js`], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      CURSOR_SECRET: BENCH_CURSOR_SECRET,
      MONGODB_AUTO_INDEX: 'true',
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      MONGODB_URI: mongoUri('todo_bench_round_trips'),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      // On, as in production, but out of reach of this run.
      RATE_LIMIT_MAX: '1000000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  }),
);
await until(() => fetch(`${base}/health/ready`).then((r) => r.ok), 'the API');
const headers = authHeaders(await benchToken(base));
for (let i = 0; i < 3; i++) {
  await fetch(`${base}/todos`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{"content":"round trip"}',
  });
}
let last = '';
for (let i = 0; i < 5; i++)
  last = (await fetch(`${base}/todos`, { headers })).headers.get('x-cache');
if (last !== 'HIT') throw new Error(`page 1 is not a hit after warming (X-Cache: ${last})`);

await redis.config('RESETSTAT');
let hits = 0;
for (let i = 0; i < HITS; i++) {
  const response = await fetch(`${base}/todos`, { headers });
  await response.arrayBuffer();
  if (response.headers.get('x-cache') === 'HIT') hits++;
}
const stats = await redis.info('commandstats');
const calls = [...stats.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)]
  .map(([, command, count]) => [command, Number(count)])
  .filter(([command]) => !['config', 'info'].includes(command));
const total = calls.reduce((sum, [, count]) => sum + count, 0);
console.log(
  `\n${dir}: ${hits}/${HITS} hits, ${headers.authorization ? 'with' : 'without'} a token`,
);
console.log('| command | calls per hit |\n| --- | --- |');
for (const [command, count] of calls) console.log(`| ${command} | ${(count / HITS).toFixed(2)} |`);
console.log(`| all | ${(total / HITS).toFixed(2)} |`);
console.log(
  '(Redis counts the commands a script runs too: a script and its commands are one round trip.)',
);
redis.disconnect();
// The API first, and once it is gone its Redis, so it does not report the lost connection.
const api = children.pop();
await new Promise((done) => api.once('exit', done).kill('SIGTERM'));
process.exit(0);

import { adoptDefaultAccount } from './support/auth.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import { ExportFilesService } from '../src/exports/export-files.service.js';
import type { JobViewDto } from '../src/job-status/job-view.dto.js';
import { QUEUES } from '../src/queues/queues.constants.js';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { isolatedStores, send, startApi, type TestApi } from './support/api.js';
import { PrivateMongo } from './support/mongo-server.js';
import { freePort, PRODUCTION_SECRETS } from './support/process.js';
import { insertTodos, todoDocs } from './support/todo-docs.js';
import { until } from './support/wait.js';

const DATABASE = 'todo_e2e_supervisor';
const CONFIG = 'deploy/supervisor/supervisord.conf';
const COUNT = 2_000;

/** Two consecutive free ports, for API_BASE_PORT and API_BASE_PORT + 1. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await isFree(port + 1))) return port;
  }
}
async function isFree(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}`).then(
    () => false,
    () => true,
  );
}

/** Polls every 50 ms for up to `timeoutMs`, a probe that throws counting as not yet. */
const within = (timeoutMs: number, message: string) => ({
  timeoutMs,
  intervalMs: 50,
  message,
  retryErrors: true,
});

const ready = (url: string) => fetch(`${url}/health/ready`).then((response) => response.ok);

/**
 * The export must still run when the worker is killed, whatever the machine's speed: it is
 * held, not raced. MongoDB (a server of this test's own) is frozen before the worker takes
 * the job, so the job is active and can go no further until the test thaws it.
 */
describe('supervisord with the project config (e2e, Debian supervisor, real processes)', () => {
  let mongo: PrivateMongo;
  let redis: Redis;
  let queue: Queue;
  let seeder: TestApi;
  let supervisord: ChildProcess | undefined;
  let exited: Promise<unknown>;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let apiUrls: string[];
  let workerUrl: string;

  const ctl = (...args: string[]) =>
    spawnSync('supervisorctl', ['-c', CONFIG, ...args], { env, encoding: 'utf8' });
  const pidOf = (name: string) => {
    const pid = Number(ctl('pid', name).stdout.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  };

  beforeAll(async () => {
    mongo = await PrivateMongo.start();
    const stores = { ...isolatedStores(DATABASE), MONGODB_URI: mongo.uri(DATABASE) };
    seeder = await startApi(DATABASE, stores);
    await insertTodos(seeder, todoDocs(COUNT));
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    queue = new Queue(QUEUES.exports, { prefix: DATABASE, connection: redis });

    dir = mkdtempSync(join(tmpdir(), 'todo-supervisor-'));
    const basePort = await freePortPair();
    const workerPort = await freePort();
    env = {
      ...process.env,
      ...stores,
      ...PRODUCTION_SECRETS,
      TODO_RUN_DIR: dir,
      TODO_LOG_DIR: dir,
      API_PROCESSES: '2',
      API_BASE_PORT: String(basePort),
      HOST: '127.0.0.1',
      WORKER_HEALTH_PORT: String(workerPort),
      // Short locks, so a killed worker's job is taken over in seconds, not half a minute
      // (long enough that a busy machine still renews them in time).
      WORKER_LOCK_MS: '10000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      // While MongoDB is frozen, an operation waits for it rather than failing (the defaults
      // give up after seconds, and a failed attempt would leave the job waiting its retry).
      MONGODB_HEARTBEAT_MS: '60000',
      MONGODB_CONNECT_TIMEOUT_MS: '60000',
      MONGODB_SOCKET_TIMEOUT_MS: '120000',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '60000',
      RATE_LIMIT_MAX: '0',
      LOG_LEVEL: 'warn',
    };
    apiUrls = [basePort, basePort + 1].map((port) => `http://127.0.0.1:${port}`);
    workerUrl = `http://127.0.0.1:${workerPort}`;
    supervisord = spawn('supervisord', ['-n', '-c', CONFIG], { env, stdio: 'ignore' });
    exited = new Promise((resolve) => supervisord?.on('exit', resolve));
    for (const url of [...apiUrls, workerUrl])
      await until(() => ready(url), Boolean, within(30_000, `${url} ready`));
    // Requests act as the seeder's account, which owns the todos it inserted.
    for (const url of apiUrls) await adoptDefaultAccount(DATABASE, url);
  }, 90_000);

  afterAll(async () => {
    if (supervisord && supervisord.exitCode === null) {
      supervisord.kill('SIGTERM'); // supervisord stops its programs with SIGTERM first
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    mongo?.signal('SIGCONT');
    await queue?.close();
    redis?.disconnect();
    await seeder?.close();
    await mongo?.kill();
  });

  it('brings back an API process and the worker killed with -9, and the job in flight completes', async () => {
    // Held in the queue until MongoDB is frozen: asking for the export needs MongoDB.
    await queue.pause();
    const accepted = await send<ExportAcceptedDto>(apiUrls[1], 'POST', '/todos/exports', {
      json: { format: 'json' },
    });
    expect(accepted.status).toBe(202);
    const id = accepted.body.job_id;
    const jobUrl = `/jobs/exports/${id}`;
    const job = () => send<JobViewDto>(apiUrls[1], 'GET', jobUrl).then((r) => r.body);
    mongo.signal('SIGSTOP');
    await queue.resume();
    // The worker took it and waits on MongoDB for its first read: it cannot finish.
    const taken = within(20_000, 'export taken by the worker');
    await until(
      () => queue.getJobState(id),
      (state) => state === 'active',
      taken,
    );

    const killed = { api: pidOf(`api:api-${new URL(apiUrls[0]).port}`), worker: pidOf('worker') };
    expect(killed.api).toBeDefined();
    expect(killed.worker).toBeDefined();
    const killedAt = Date.now();
    process.kill(killed.api ?? 0, 'SIGKILL');
    process.kill(killed.worker ?? 0, 'SIGKILL');
    // Read in Redis: the job's view reads its export's record in the frozen MongoDB.
    expect(await queue.getJobState(id)).toBe('active'); // killed mid-export
    mongo.signal('SIGCONT');

    // Both back, as new processes, and ready.
    const restarted = async () => {
      const api = pidOf(`api:api-${new URL(apiUrls[0]).port}`);
      const worker = pidOf('worker');
      if (!api || !worker || api === killed.api || worker === killed.worker) return false;
      return (await ready(apiUrls[0])) && (await ready(workerUrl));
    };
    await until(restarted, Boolean, within(15_000, 'API and worker restarted and ready'));
    const backInMs = Date.now() - killedAt;
    expect(backInMs).toBeLessThan(15_000);

    const done = await until(
      job,
      (view) => view.state === 'completed' || view.state === 'failed',
      within(60_000, 'export completed'),
    );
    expect({ state: done.state, reason: done.failed_reason }).toEqual({ state: 'completed' });
    expect(await seeder.app.get(ExportFilesService).countFor(accepted.body.job_id)).toBe(1);
    const file = await send<TodoDto[]>(
      apiUrls[0],
      'GET',
      `${jobUrl.replace('/jobs', '/todos')}/download`,
    );
    expect(file.status).toBe(200);
    expect(file.body).toHaveLength(COUNT);
    process.stdout.write(
      `supervisor: API and worker back and ready ${backInMs} ms after kill -9\n`,
    );
  }, 120_000);
});

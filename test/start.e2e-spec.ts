import { signIn } from './support/auth.js';
import { isolatedStores, send } from './support/api.js';
import { freePort, isAlive, runCommand, type RunningProcess } from './support/process.js';
import { until } from './support/wait.js';

const DATABASE = 'todo_e2e_start';

/** The pids `npm start` reported for `name`, in the order it started them. */
const pids = (run: RunningProcess, name: string) =>
  [...run.stderr().matchAll(new RegExp(`${name} started \\(pid (\\d+)\\)`, 'g'))].map((m) =>
    Number(m[1]),
  );

describe('npm start (e2e, real processes)', () => {
  it('starts a process that dies again after a backoff, the other serving meanwhile; SIGTERM stops both', async () => {
    const [port, health] = [await freePort(), await freePort()];
    const run = runCommand(['bash', 'scripts/start.sh'], {
      ...process.env,
      ...isolatedStores(DATABASE),
      PORT: String(port),
      WORKER_HEALTH_PORT: String(health),
      RATE_LIMIT_MAX: '0',
      LOG_LEVEL: 'warn',
    });
    const api = `http://127.0.0.1:${port}`;
    const worker = `http://127.0.0.1:${health}`;
    try {
      await run.waitForHttp(`${api}/health/live`, 180_000);
      await run.waitForHttp(`${worker}/health/live`, 30_000);
      const wait = { timeoutMs: 20_000, intervalMs: 100, detail: run.output };

      // Outside production it prints a development token and a curl line that works as printed.
      const printed = await until(
        () => /Try it: +(curl .*)$/m.exec(run.stderr()),
        (match) => match !== null,
        { ...wait, message: 'the curl line printed' },
      );
      expect(run.stderr()).toMatch(/Dev token: +tdo_pat_[0-9a-f]{24}[A-Za-z0-9_-]{43} /);
      const curl = runCommand(['bash', '-c', printed![1]], process.env);
      expect(await curl.exited).toEqual({ code: 0, signal: null });
      expect(JSON.parse(curl.stdout())).toMatchObject({ items: expect.any(Array) as unknown });

      const [firstWorker] = pids(run, 'worker');
      process.kill(firstWorker, 'SIGKILL');
      await until(
        () => pids(run, 'worker'),
        (seen) => seen.length === 2,
        {
          ...wait,
          message: 'the worker started again',
        },
      );
      expect(run.stderr()).toContain('worker exited with code 137; starting it again in 1s');
      const token = await signIn(api);
      expect((await send(api, 'GET', '/todos', { token })).status).toBe(200);
      await run.waitForHttp(`${worker}/health/live`, 20_000);

      const [firstApi] = pids(run, 'api');
      process.kill(firstApi, 'SIGKILL');
      expect((await send(worker, 'GET', '/health/live')).status).toBe(200);
      await until(
        () => pids(run, 'api'),
        (seen) => seen.length === 2,
        {
          ...wait,
          message: 'the API started again',
        },
      );
      await run.waitForHttp(`${api}/health/live`, 20_000);

      run.child.kill('SIGTERM');
      expect(await run.exited).toEqual({ code: 0, signal: null });
      const last = [...pids(run, 'api'), ...pids(run, 'worker')];
      await until(
        () => last.filter(isAlive),
        (living) => living.length === 0,
        {
          ...wait,
          message: 'both processes gone',
        },
      );
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 240_000);
});

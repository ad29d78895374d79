import { bearer, signIn } from './support/auth.js';
import { execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { createConnection } from 'mongoose';
import { databaseUri } from './support/api.js';
import { freePort, isAlive, runEntrypoint } from './support/process.js';
import { sleep, until } from './support/wait.js';

describe('entrypoints (e2e)', () => {
  it.each([
    ['main', 'PORT', 'not-a-port'],
    ['main', 'MONGODB_URI', 'http://nowhere'],
    ['worker', 'WORKER_CONCURRENCY', '0'],
  ])('%s refuses %s=%s with one line naming it, exit 78', async (entry, name, value) => {
    const run = runEntrypoint(entry, { [name]: value });
    expect(await run.exited).toEqual({ code: 78, signal: null });
    const lines = run.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
  });

  it('the API serves, then on SIGTERM closes and exits 0', async () => {
    const port = await freePort();
    const api = runEntrypoint('main', {
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: databaseUri('todo_e2e_processes'),
    });
    await api.waitForHttp(`http://127.0.0.1:${port}/health/ready`);
    const token = await signIn(`http://127.0.0.1:${port}`);
    const response = await fetch(`http://127.0.0.1:${port}/todos`, { headers: bearer(token) });
    expect(response.status).toBe(200);
    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
  });

  it('CLUSTER_WORKERS=2: two API processes share the port, a killed one is replaced, SIGTERM stops all with exit 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = runEntrypoint('main', {
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: databaseUri('todo_e2e_processes'),
      CLUSTER_WORKERS: '2',
      LOG_LEVEL: 'info',
    });
    const children = () =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(api.child.pid)], { encoding: 'utf8' })
        .split('\n')
        .map(Number)
        .filter((pid) => pid > 0);
    const waitFor = (message: string, ok: () => boolean | Promise<boolean>) =>
      until(ok, Boolean, { timeoutMs: 20_000, intervalMs: 50, message, detail: api.output });
    await api.waitForHttp(`${url}/health/live`);
    await waitFor('two API processes', () => children().length === 2);
    const first = children();
    // Each process logs with its pid: requests reach both.
    await waitFor('both processes served', async () => {
      // A new connection each time: the cluster hands out connections, not requests.
      await new Promise((resolve) =>
        get(`${url}/todos`, { agent: false }, (res) => resolve(res.resume())),
      );
      const pids = new Set(
        api
          .output()
          .split('\n')
          .filter((line) => line.includes('"route":"/todos"'))
          .map((line) => (JSON.parse(line) as { pid: number }).pid),
      );
      return first.every((pid) => pids.has(pid));
    });

    process.kill(first[0], 'SIGKILL');
    await waitFor('a replacement process', () => {
      const now = children();
      return now.length === 2 && !now.includes(first[0]);
    });
    await waitFor('serving again', () =>
      fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ),
    );
    const all = children();
    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(all.filter((pid) => isAlive(pid))).toEqual([]);
  });

  it('the worker serves only its probes, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const worker = runEntrypoint('worker', {
      MONGODB_URI: databaseUri('todo_e2e_processes'),
      QUEUE_PREFIX: 'todo_e2e_processes',
      WORKER_HEALTH_PORT: String(port),
    });
    await worker.waitForHttp(`http://127.0.0.1:${port}/health/live`);
    // Ready once its stores answered a check within 800 ms, which on a loaded machine may take
    // more than the first one: asked until it answers 200.
    await worker.waitForHttp(`http://127.0.0.1:${port}/health/ready`);
    // The worker's port serves the probes and nothing else.
    expect((await fetch(`http://127.0.0.1:${port}/todos`)).status).toBe(404);
    await sleep(500);
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('seed inserts N todos in batches with distinct creation times, and exits 0', async () => {
    const uri = databaseUri('todo_e2e_seed');
    const seed = runEntrypoint('seed', { MONGODB_URI: uri });
    expect(await seed.exited).toEqual({ code: 0, signal: null });
    expect(seed.output()).toMatch(/inserted 10000 todos/);
    const connection = await createConnection(uri).asPromise();
    try {
      const todos = connection.collection('todos');
      expect(await todos.countDocuments()).toBe(10_000);
      expect((await todos.distinct('created_at')).length).toBe(10_000);
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  });

  it('seed --owner fills one account, and exits 1 naming an unknown email', async () => {
    const uri = databaseUri('todo_e2e_seed_owner');
    const unknown = runEntrypoint('seed', { MONGODB_URI: uri }, [
      '5',
      '--owner',
      'nobody@example.com',
    ]);
    expect(await unknown.exited).toEqual({ code: 1, signal: null });
    expect(unknown.stderr()).toContain('nobody@example.com');
    const connection = await createConnection(uri).asPromise();
    try {
      const { insertedId } = await connection.collection('users').insertOne({
        email: 'Seeded@example.com',
        email_key: 'seeded@example.com',
        password_hash: 'not used here',
        created_at: new Date(),
      });
      const seed = runEntrypoint('seed', { MONGODB_URI: uri }, [
        '25',
        '--owner',
        'seeded@example.com',
      ]);
      expect(await seed.exited).toEqual({ code: 0, signal: null });
      const todos = connection.collection('todos');
      expect(await todos.countDocuments({ owner_id: insertedId })).toBe(25);
      expect(await todos.countDocuments()).toBe(25);
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  });
});

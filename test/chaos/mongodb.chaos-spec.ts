import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { send, startApi, type TestApi } from '../support/api.js';
import { LoadDriver } from '../support/load-driver.js';
import { PrivateMongo } from '../support/mongo-server.js';
import { sleep, until } from '../support/wait.js';
import { ready, RECOVERY } from './support.js';

const DATABASE = 'todo_chaos_mongodb';
/**
 * The longest a request may take while MongoDB is away: a frozen server is noticed by a
 * failed heartbeat (MONGODB_HEARTBEAT_MS 2 s + MONGODB_CONNECT_TIMEOUT_MS 2 s, the defaults),
 * then server selection gives up after MONGODB_SERVER_SELECTION_TIMEOUT_MS (3 s).
 */
const BOUND_MS = 7_500;

describe('MongoDB killed and frozen under load (chaos)', () => {
  let mongo: PrivateMongo;
  let api: TestApi;
  let load: LoadDriver;

  // What the error filter logs of a 500, so an unexpected one can be explained.
  const errors: string[] = [];

  beforeAll(async () => {
    jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation((message: unknown) => void errors.push(String(message).slice(0, 600)));
    mongo = await PrivateMongo.start();
    api = await startApi(DATABASE, { MONGODB_URI: mongo.uri(DATABASE), LOG_LEVEL: 'error' });
    load = new LoadDriver(api.url, 'mongodb', { clients: 8 });
    load.start();
    await sleep(1_500);
    // More than 50 writes acknowledged before the faults, for a loss check that means
    // something: a loaded machine may acknowledge fewer in the time above.
    const acked = { ...RECOVERY, message: 'more than 50 writes acknowledged' };
    await until(
      () => load.writes.size,
      (n) => n > 50,
      acked,
    );
  });
  afterAll(async () => {
    await load?.stop();
    await mongo.restart();
    await api?.close();
    await mongo?.kill();
  });

  /**
   * Readiness back to 200 and a write acknowledged again, with no restart of the API; says how
   * long that took.
   */
  const recovery = async (fault: string) => {
    const started = Date.now();
    const recovered = async () => {
      if (!(await ready(api.url))) return false;
      const write = await send(api.url, 'POST', '/todos', { json: { content: 'probe' } });
      return write.status === 201;
    };
    await until(recovered, Boolean, { ...RECOVERY, message: `recovery after ${fault}` });
    return `${fault}: ${Date.now() - started} ms`;
  };

  // One test: the totals it checks are those of the whole run, both faults included.
  it('answers 503 while the server is killed, then frozen, recovers each time, ends every request in bounded time, and loses no acknowledged write', async () => {
    const faultAt = performance.now();
    await mongo.kill();
    await sleep(5_000);
    await mongo.restart();
    const killed = await recovery('killed');
    await sleep(1_500);

    mongo.signal('SIGSTOP');
    await sleep(6_000);
    mongo.signal('SIGCONT');
    const frozen = await recovery('frozen');
    await sleep(1_500);

    await load.stop();
    const lost = await load.lostWrites();
    // Each create has a unique content prefix: more than one document with it is a duplicate.
    const stored = await api.todos.find({}, { content: 1 }).lean();
    const perCreate = new Map<string, number>();
    for (const { content } of stored) {
      const origin = content.split(' #')[0];
      perCreate.set(origin, (perCreate.get(origin) ?? 0) + 1);
    }
    const duplicated = [...perCreate].filter(([origin, n]) => origin !== 'probe' && n > 1);
    load.report(
      `mongodb killed+frozen (recovery ${killed}, ${frozen}; ` +
        `max latency before the faults ${load.baselineMs(faultAt).toFixed(0)} ms)`,
      lost.length,
      0,
    );

    // Any 5xx but a 503, with its request and body and what the error filter logged of it, so
    // that a failure explains itself.
    expect({ unexpected: load.unexpected, logged: errors }).toEqual({ unexpected: [], logged: [] });
    const statuses = Object.keys(load.statuses()).map(Number);
    expect(statuses.filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    expect(load.statuses()['503']).toBeGreaterThan(0);
    expect(load.samples.filter((s) => s.status === 503 && s.retryAfter !== '5')).toEqual([]);
    // On a machine whose other load already stalled requests before the faults (2 cores,
    // shared), that stall comes on top of the bound.
    expect(load.maxMs()).toBeLessThan(BOUND_MS + load.baselineMs(faultAt));
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(load.writes.size).toBeGreaterThan(50);
  }, 360_000); // the three tests' 120 s each that this one was
});

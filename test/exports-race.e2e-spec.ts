import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import { send, startApi, type TestApi } from './support/api.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';
import { insertTodos, todoDocs } from './support/todo-docs.js';
import { until } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_exports_race';
const EXPORTS = 30;
const POLLERS = 8;

/**
 * Downloads polled as fast as they go while their export completes, from two API processes:
 * every attempt on either side of the completion edge answers 409 or 200, never a 5xx.
 */
describe('export download across job completion (e2e, two API processes, real worker)', () => {
  let api: TestApi;
  let second: SpawnedApi;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    api = await startApi(DATABASE);
    await insertTodos(
      api,
      todoDocs(300, (i) => ({ created_at: new Date(i) })),
    );
    second = await spawnApi(DATABASE);
    worker = await startWorker(DATABASE);
  });
  afterAll(async () => {
    await stopWorker(worker);
    await second.stop();
    await api.close();
  });

  /** Polls the download until it is served; returns every status seen on the way. */
  const poll = async (url: string, id: string): Promise<number[]> => {
    const statuses: number[] = [];
    const download = async () => {
      const { status } = await send<string>(url, 'GET', `/todos/exports/${id}/download`);
      statuses.push(status);
      return status;
    };
    const options = { timeoutMs: 30_000, intervalMs: 0, message: `export ${id} downloadable` };
    await until(download, (status) => status !== 409, options);
    return statuses;
  };

  it(`${EXPORTS} exports, ${POLLERS} pollers each: only 409 before completion and 200 after`, async () => {
    const counts = new Map<number, number>();
    let crossed = 0;
    for (let i = 0; i < EXPORTS; i++) {
      const format = i % 2 === 0 ? 'json' : 'csv';
      const accepted = await api.request<ExportAcceptedDto>('POST', '/todos/exports', {
        json: { format },
      });
      expect(accepted.status).toBe(202);
      const urls = Array.from({ length: POLLERS }, (_, p) => (p % 2 ? second.url : api.url));
      const seen = await Promise.all(urls.map((url) => poll(url, accepted.body.job_id)));
      for (const status of seen.flat()) counts.set(status, (counts.get(status) ?? 0) + 1);
      expect(seen.map((statuses) => statuses.at(-1))).toEqual(urls.map(() => 200));
      if (seen.some((statuses) => statuses[0] === 409)) crossed++;
    }
    expect([...counts.keys()].sort()).toEqual([200, 409]);
    const attempts = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(attempts).toBeGreaterThanOrEqual(EXPORTS * POLLERS);
    // Most exports were polled before they completed, so the edge was crossed, not skipped.
    expect(crossed).toBeGreaterThan(EXPORTS / 2);
  });
});

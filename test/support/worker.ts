import { freePort, runEntrypoint, type RunningProcess } from './process.js';
import { isolatedStores } from './api.js';

export interface TestWorker {
  process: RunningProcess;
  healthUrl: string;
}

/**
 * Starts the real worker process (`dist/worker.js`) on the same database and prefixes as
 * `startApi(database)`, with short lock and stalled-check times so crash recovery shows in
 * seconds, not the production half-minute.
 */
export async function startWorker(
  database: string,
  env: Record<string, string> = {},
): Promise<TestWorker> {
  const port = await freePort();
  const process = runEntrypoint('worker', {
    ...isolatedStores(database),
    WORKER_HEALTH_PORT: String(port),
    WORKER_LOCK_MS: '4000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    ...env,
  });
  await process.waitForHttp(`http://127.0.0.1:${port}/health/live`);
  return { process, healthUrl: `http://127.0.0.1:${port}` };
}

export async function stopWorker(
  worker: TestWorker | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
) {
  if (!worker || worker.process.child.exitCode !== null) return worker?.process.exited;
  worker.process.child.kill(signal);
  return worker.process.exited;
}

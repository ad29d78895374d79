import { isolatedStores } from './api.js';
import { adoptDefaultAccount, TEST_REGISTRATIONS } from './auth.js';
import { freePort, runEntrypoint, type Exit, type RunningProcess } from './process.js';

export interface SpawnedApi {
  process: RunningProcess;
  url: string;
  /** The token of the database's default account (`send` attaches it to this URL's requests). */
  token: string;
  /** SIGTERM, then the exit status. */
  stop(): Promise<Exit>;
}

/**
 * Runs the built API (`dist/main.js`) as its own process on a free port, on the database and
 * prefixes named `database` (as `startApi` uses them), once it answers its liveness probe.
 */
export async function spawnApi(
  database: string,
  env: Record<string, string> = {},
): Promise<SpawnedApi> {
  const port = await freePort();
  const process = runEntrypoint('main', {
    PORT: String(port),
    HOST: '127.0.0.1',
    ...isolatedStores(database),
    LOG_LEVEL: 'warn',
    // As startApi: tests send thousands of requests from one address.
    RATE_LIMIT_MAX: '0',
    REGISTER_MAX_PER_HOUR: TEST_REGISTRATIONS,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await process.waitForHttp(`${url}/health/live`);
  // Readiness too: the account is registered through this process, on its database.
  await process.waitForHttp(`${url}/health/ready`);
  const token = await adoptDefaultAccount(database, url, { ...isolatedStores(database), ...env });
  return {
    process,
    url,
    token,
    stop: () => {
      process.child.kill('SIGTERM');
      return process.exited;
    },
  };
}

/**
 * Two spawned APIs on one database for a describe block, started before its tests and
 * stopped after them: for races between processes.
 */
export function useTwoSpawnedApis(database: string): [SpawnedApi, SpawnedApi] {
  const apis: SpawnedApi[] = [];
  beforeAll(async () => {
    apis.push(...(await Promise.all([spawnApi(database), spawnApi(database)])));
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
  });
  const at = (i: number) =>
    new Proxy({} as SpawnedApi, { get: (_, name) => Reflect.get(apis[i], name) as unknown });
  return [at(0), at(1)];
}

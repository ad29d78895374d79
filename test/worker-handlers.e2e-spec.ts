import { createConnection } from 'mongoose';
import { databaseUri, isolatedStores } from './support/api.js';
import { type Exit, freePort, runCommand } from './support/process.js';

const DATABASE = 'todo_e2e_worker_handlers';
/**
 * The boot fails before the probes listen, in seconds; a worker that hangs instead must fail
 * the test, not stall the suite. Generous, and no timing is asserted within it.
 */
const DEADLINE_MS = 30_000;

/**
 * Boots the worker as `dist/worker.js` does, with its handlers made wrong by the fixture
 * (test/fixtures/worker-handlers.mjs) in `mode`, on the real stores; waits for it to exit,
 * killing it past the deadline. The real worker's own boot is in processes.e2e-spec.ts.
 */
async function bootBrokenWorker(mode: 'two' | 'none') {
  const run = runCommand([process.execPath, 'test/fixtures/worker-handlers.mjs', mode], {
    ...process.env,
    NODE_ENV: 'test',
    ...isolatedStores(DATABASE),
    WORKER_HEALTH_PORT: String(await freePort()),
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), DEADLINE_MS);
  });
  const exit: Exit | 'still running' = await Promise.race([run.exited, deadline]);
  clearTimeout(timer);
  if (exit === 'still running') run.child.kill('SIGKILL');
  // Together, so that a test comparing both shows, when it fails, what the worker wrote.
  return { exit, stderr: run.stderr().trimEnd().split('\n') };
}

describe('the worker refuses to boot with a job name handled never or twice (e2e)', () => {
  afterAll(async () => {
    const connection = await createConnection(databaseUri(DATABASE)).asPromise();
    await connection.dropDatabase();
    await connection.close();
  });

  it(
    'a second @OnJob handler of a name: exit 78, one line naming it and both handlers',
    async () => {
      expect(await bootBrokenWorker('two')).toEqual({
        exit: { code: 78, signal: null },
        stderr: [
          "job handlers: 2 @OnJob('exports.build') handlers (ExportsProcessor.process, SecondExportBuilder.run)",
        ],
      });
    },
    DEADLINE_MS + 10_000,
  );

  it(
    'no @OnJob handler of a name (the exports feature left out): exit 78, one line naming it',
    async () => {
      expect(await bootBrokenWorker('none')).toEqual({
        exit: { code: 78, signal: null },
        stderr: ["job handlers: no @OnJob('exports.build') handler"],
      });
    },
    DEADLINE_MS + 10_000,
  );
});

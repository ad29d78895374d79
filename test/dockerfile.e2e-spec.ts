import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mongoose';
import { databaseUri, isolatedStores } from './support/api.js';
import { buildOutsideDocker, type Stage } from './support/dockerfile.js';
import { copyContext, dockerignore } from './support/dockerignore.js';
import { freePort, PRODUCTION_SECRETS, runCommand } from './support/process.js';

const DATABASE = 'todo_e2e_dockerfile';

/**
 * The Dockerfile's own RUN, CMD and HEALTHCHECK lines, run outside Docker (no engine here):
 * the build context as .dockerignore leaves it, every stage's commands, then the runtime
 * stage's processes against the test stores with the image's environment.
 */
describe('Dockerfile, built and run outside Docker (e2e)', () => {
  const work = mkdtempSync(join(tmpdir(), 'todo-image-'));
  const ignore = readFileSync('.dockerignore', 'utf8');
  let context: string[] = [];
  let runtime: Stage;

  /** The runtime image's environment (PATH, HOME from here), with `env` on top. */
  const environment = (env: Record<string, string>) => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...runtime.env,
    ...isolatedStores(DATABASE),
    ...PRODUCTION_SECRETS,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...env,
  });
  const healthcheck = async (env: Record<string, string>) =>
    (await runCommand(runtime.healthcheck ?? [], environment(env), runtime.dir).exited).code;

  beforeAll(async () => {
    context = copyContext('.', ignore, join(work, 'context'));
    const stages = await buildOutsideDocker(
      readFileSync('Dockerfile', 'utf8'),
      join(work, 'context'),
      join(work, 'stages'),
    );
    runtime = [...stages.values()].at(-1) as Stage;
  }, 600_000);

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    const connection = await createConnection(databaseUri(DATABASE)).asPromise();
    await connection.dropDatabase();
    await connection.close();
  }, 120_000); // three stages of node_modules to delete

  it.each([
    ['src/main.ts', false],
    ['src/todos/page-cursor.spec.ts', true],
    ['package-lock.json', false],
    ['.env', true],
    ['node_modules/mongoose/package.json', true],
    ['test/todos.e2e-spec.ts', true],
    ['.git/HEAD', true],
  ])('.dockerignore: %s excluded: %s', (path, excluded) => {
    expect(dockerignore(ignore)(path)).toBe(excluded);
    expect(context.includes(path)).toBe(!excluded && existsSync(path));
  });

  it('the runtime stage holds the build and production dependencies only, and runs as non-root', () => {
    expect(runtime.env.NODE_ENV).toBe('production');
    expect(runtime.user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(runtime.exposed).toEqual([3000, 3001]);
    expect(runtime.cmd).toEqual(['node', 'dist/main.js']);
    for (const file of ['dist/main.js', 'dist/worker.js', 'dist/sync-indexes.js']) {
      expect(existsSync(join(runtime.dir, file))).toBe(true);
    }
    expect(existsSync(join(runtime.dir, 'node_modules/@nestjs/core'))).toBe(true);
    // (typescript is there: @nestjs/swagger declares it a peer dependency.)
    for (const dev of ['jest', '@swc/core', 'eslint', 'prettier', '@nestjs/testing']) {
      expect(existsSync(join(runtime.dir, 'node_modules', dev))).toBe(false);
    }
    expect(existsSync(join(runtime.dir, 'src'))).toBe(false);
  });

  it('the index sync runs from the image and exits 0', async () => {
    const sync = runCommand(
      ['node', 'dist/sync-indexes.js'],
      environment({ LOG_LEVEL: 'info' }),
      runtime.dir,
    );
    expect(await sync.exited).toEqual({ code: 0, signal: null });
    expect(sync.output()).toMatch(/todos: created/);
  });

  it('CMD starts the API in production; its probes answer 200, and HEALTHCHECK exits 0', async () => {
    const port = String(await freePort());
    const api = runCommand(runtime.cmd ?? [], environment({ PORT: port }), runtime.dir);
    try {
      await api.waitForHttp(`http://127.0.0.1:${port}/health/live`);
      // Readiness may be a 503 for a moment on a machine still busy with the build (a store
      // slower than the 800 ms check): asked until it answers 200.
      await api.waitForHttp(`http://127.0.0.1:${port}/health/ready`);
      expect(await healthcheck({ PORT: port })).toBe(0);
      // …and fails where nothing answers, so it is a real check.
      expect(await healthcheck({ PORT: String(await freePort()) })).toBe(1);
    } finally {
      api.child.kill('SIGTERM');
      expect(await api.exited).toEqual({ code: 0, signal: null });
    }
  });

  it('the worker starts from the same image; its probes answer 200', async () => {
    const port = String(await freePort());
    const worker = runCommand(
      ['node', 'dist/worker.js'],
      environment({ WORKER_HEALTH_PORT: port }),
      runtime.dir,
    );
    try {
      await worker.waitForHttp(`http://127.0.0.1:${port}/health/live`);
      await worker.waitForHttp(`http://127.0.0.1:${port}/health/ready`); // as the API's, above
    } finally {
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
    }
  });
});

import { DEVELOPMENT_CURSOR_SECRET } from '../src/config/secrets.js';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, send, type RequestOptions } from './support/api.js';
import { runEntrypoint } from './support/process.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';
import { forgedCursor } from './support/forged-cursor.js';

/**
 * What a known secret gives an attacker, and what production does about it: a development
 * API signs with the public default, so anyone can forge its cursors — which must still
 * carry values only — and production refuses to boot on that default or on weak secrets.
 */
const DATABASE = 'todo_e2e_abuse_secrets';
const json = (body: unknown): RequestOptions => ({ json: body });

describe('a cursor forged with a known secret (e2e)', () => {
  let api: SpawnedApi;
  let owner: string;

  beforeAll(async () => {
    api = await spawnApi(`${DATABASE}_cursor`);
    owner = (await send<{ id: string }>(api.url, 'GET', '/me')).body.id;
    for (const content of ['one', 'two', 'three']) {
      await send(api.url, 'POST', '/todos', json({ content }));
    }
  });
  afterAll(async () => {
    await api.stop();
  });

  const page = (cursor: string) =>
    send<{ items: TodoDto[] }>(api.url, 'GET', `/todos?cursor=${cursor}`);

  it('is taken with plain values: the signature is right, so the refusals below are the check', async () => {
    const all = await send<{ items: TodoDto[] }>(api.url, 'GET', '/todos');
    const response = await page(
      forgedCursor(owner, `[{"$date":"2099-01-01T00:00:00Z"},"${'f'.repeat(24)}"]`),
    );
    expect(response.status).toBe(200);
    // After a position later than every todo: the list from its start.
    expect(response.body.items.length).toBeGreaterThanOrEqual(3);
    expect(response.body.items).toEqual(all.body.items);
  });

  it.each([
    ['an operator', `[{"$gt":""},"${'f'.repeat(24)}"]`],
    ['an operator inside an object', `[{"at":{"$ne":null}},"${'f'.repeat(24)}"]`],
    ['a regex', `[{"$regex":"^(a|a)*$","$options":""},"${'f'.repeat(24)}"]`],
    ['an operator as the id', '[1,{"$gt":""}]'],
  ])('carrying %s is a 400', async (_name, payload) => {
    expectError(await page(forgedCursor(owner, payload)), 400);
  });
});

describe('a production boot with weak or placeholder secrets (e2e, the built entrypoint)', () => {
  it('exits 78 naming each variable and its rule, never a secret, a URI masked', async () => {
    const secrets = { admin: 'twelve-chars-pw', mongo: 'CHANGE-ME' };
    const boot = runEntrypoint('main', {
      NODE_ENV: 'production',
      CURSOR_SECRET: DEVELOPMENT_CURSOR_SECRET,
      ADMIN_USER: 'admin',
      ADMIN_PASSWORD: secrets.admin,
      MONGODB_URI: `mongodb://todo:${secrets.mongo}@127.0.0.1:1/todo`,
    });
    expect((await boot.exited).code).toBe(78);
    const stderr = boot.stderr();
    expect(stderr).toMatch(/CURSOR_SECRET: is the public development default/);
    expect(stderr).toMatch(/ADMIN_PASSWORD: must be at least 32 characters in production/);
    expect(stderr).toMatch(
      /MONGODB_URI: holds a CHANGE-ME placeholder.*todo:\*\*\*\*@127\.0\.0\.1/,
    );
    for (const secret of [DEVELOPMENT_CURSOR_SECRET, secrets.admin, `todo:${secrets.mongo}`]) {
      expect(boot.output()).not.toContain(secret);
    }
  });
});

import { ALICE, BOB } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { loadConfig } from '../config/configuration.js';
import type { RedisClient } from '../redis/redis.module.js';
import { IdempotencyStore } from './idempotency.store.js';

describe('IdempotencyStore', () => {
  // Keys as the interceptor claims them: `<owner> <method> <path> <key>` under the prefix.
  const config = loadConfig({ CACHE_KEY_PREFIX: 'todo' });
  const prefix = 'todo:idempotency:';
  const keys = new Set([
    `${prefix}${ALICE.id} POST /todos one`,
    `${prefix}${ALICE.id} POST /todos/exports two`,
    `${prefix}${BOB.id} POST /todos one`,
  ]);
  // Redis's MATCH, for the `*` the store uses.
  const matching = (pattern: string) => {
    const [head, ...rest] = pattern.split('*');
    if (rest.some((part) => part !== ''))
      throw new Error(`a pattern this fake cannot match: ${pattern}`);
    return [...keys].filter((key) => key.startsWith(head) && (rest.length > 0 || key === head));
  };
  const client = strictFake<RedisClient>('redis', {
    scanIterator: ({ MATCH }: { MATCH: string }) =>
      (async function* () {
        yield await Promise.resolve(matching(MATCH));
      })(),
    del: (found: string[]) => Promise.resolve(found.filter((key) => keys.delete(key)).length),
  });

  it("deletes the deleted account's claims and recorded answers, and no one else's", async () => {
    await new IdempotencyStore(client, config).accountDeleted({ owner_id: ALICE.id });
    expect([...keys]).toEqual([`${prefix}${BOB.id} POST /todos one`]);
    expect(client.mocks.scanIterator).toHaveBeenCalledWith({
      MATCH: `${prefix}${ALICE.id} *`,
      COUNT: 500,
    });
  });
});

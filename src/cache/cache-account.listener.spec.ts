import { ALICE } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { CacheAccountListener } from './cache-account.listener.js';
import type { ResponseCache } from './response-cache.service.js';

describe('CacheAccountListener', () => {
  it("invalidates the deleted account's cached answers", async () => {
    const cache = strictFake<ResponseCache>('cache', { invalidate: () => Promise.resolve() });
    await new CacheAccountListener(cache).accountDeleted({ owner_id: ALICE.id });
    expect(cache.mocks.invalidate).toHaveBeenCalledWith(ALICE.id);
  });
});

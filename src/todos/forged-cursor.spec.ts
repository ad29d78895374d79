import { createHmac } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';
import { DEVELOPMENT_CURSOR_SECRET } from '../config/secrets.js';
import { ALICE, query, setup } from './todos.service.fakes.js';

/** A cursor signed as the service signs one, with the public development secret. */
const forged = (ownerId: string, payload: string) => {
  const signature = createHmac('sha256', DEVELOPMENT_CURSOR_SECRET)
    .update(`${ownerId}\n${payload}`)
    .digest()
    .subarray(0, 16);
  return `${Buffer.from(payload).toString('base64url')}.${signature.toString('base64url')}`;
};

describe('TodosService with a cursor forged with the known secret', () => {
  it.each([
    '[{"$gt":""},"6650f1c2a1b2c3d4e5f60718"]',
    '[{"$ne":null},"6650f1c2a1b2c3d4e5f60718"]',
    '[{"$regex":".*","$options":""},"6650f1c2a1b2c3d4e5f60718"]',
    '[1,{"$gt":""}]',
  ])('answers 400 for %s, and the query never runs', async (payload) => {
    // The repository is a strict fake with no methods: any query fails the test.
    const { service } = setup();
    await expect(service.list(ALICE, query({ cursor: forged(ALICE.id, payload) }))).rejects.toThrow(
      BadRequestException,
    );
  });

  it('takes the same forgery carrying plain values (the secret, not the check, is what failed)', async () => {
    const rows: unknown[] = [];
    const { service, repository } = setup({ page: () => Promise.resolve(rows) });
    const cursor = forged(ALICE.id, '[1764237600.5,"6650f1c2a1b2c3d4e5f60718"]');
    await expect(service.list(ALICE, query({ cursor }))).resolves.toEqual({
      items: [],
      next_cursor: null,
    });
    expect(repository.mocks.page).toHaveBeenCalledTimes(1);
  });
});

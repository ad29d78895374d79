import { BadRequestException } from '@nestjs/common';
import { ALICE, query, setup } from '../../test/unit/todos.service.fakes.js';
import { forgedCursor } from '../../test/support/forged-cursor.js';

describe('TodosService with a cursor forged with the known secret', () => {
  it.each([
    '[{"$gt":""},"6650f1c2a1b2c3d4e5f60718"]',
    '[{"$ne":null},"6650f1c2a1b2c3d4e5f60718"]',
    '[{"$regex":".*","$options":""},"6650f1c2a1b2c3d4e5f60718"]',
    '[1,{"$gt":""}]',
  ])('answers 400 for %s, and the query never runs', async (payload) => {
    // The repository is a strict fake with no methods: any query fails the test.
    const { service } = setup();
    await expect(
      service.list(ALICE, query({ cursor: forgedCursor(ALICE.id, payload) })),
    ).rejects.toThrow(BadRequestException);
  });

  it('takes the same forgery carrying plain values (the secret, not the check, is what failed)', async () => {
    const rows: unknown[] = [];
    const { service, repository } = setup({ page: () => Promise.resolve(rows) });
    const cursor = forgedCursor(ALICE.id, '[1764237600.5,"6650f1c2a1b2c3d4e5f60718"]');
    await expect(service.list(ALICE, query({ cursor }))).resolves.toEqual({
      items: [],
      next_cursor: null,
    });
    expect(repository.mocks.page).toHaveBeenCalledTimes(1);
  });
});

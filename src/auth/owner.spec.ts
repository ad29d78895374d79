import { sanitizeFilter, Types } from 'mongoose';
import { ALICE, BOB, LEGACY } from '../../test/unit/owners.js';
import { holds, ownedBy } from './owner.js';

describe('owner', () => {
  describe('ownedBy', () => {
    it("selects an account's own records by its ObjectId", () => {
      const filter = ownedBy(ALICE);
      expect(filter).toEqual({ owner_id: new Types.ObjectId(ALICE.id) });
      expect(filter.owner_id).toBeInstanceOf(Types.ObjectId);
      expect((filter.owner_id as Types.ObjectId).toHexString()).toBe(ALICE.id);
    });

    it("selects LEGACY_OWNER's records and those without an owner", () => {
      const { owner_id } = ownedBy(LEGACY) as { owner_id: { $in: unknown[] } };
      expect(Object.keys(owner_id)).toEqual(['$in']);
      expect(owner_id.$in).toEqual([new Types.ObjectId(LEGACY.id), null]);
      expect(owner_id.$in[0]).toBeInstanceOf(Types.ObjectId);
    });

    it('marks the operator trusted, so sanitizeFilter keeps it (an untrusted one is neutered)', () => {
      const id = new Types.ObjectId(LEGACY.id);
      const kept = sanitizeFilter(ownedBy(LEGACY)) as { owner_id: Record<string, unknown> };
      expect(Object.keys(kept.owner_id)).toEqual(['$in']);
      expect(kept.owner_id.$in).toEqual([id, null]);
      // The same condition built by hand is what sanitizeFilter exists to defuse.
      expect(sanitizeFilter({ owner_id: { $in: [id, null] } })).toEqual({
        owner_id: { $eq: { $in: [id, null] } },
      });
    });

    it('refuses an id that is not an ObjectId', () => {
      expect(() => ownedBy({ id: 'not-an-id', holdsOwnerless: false })).toThrow();
    });
  });

  describe('holds', () => {
    it('holds a record recorded under its own id', () => {
      expect(holds(ALICE, ALICE.id)).toBe(true);
      expect(holds(LEGACY, LEGACY.id)).toBe(true);
    });

    it("does not hold another account's record, LEGACY_OWNER included", () => {
      expect(holds(ALICE, BOB.id)).toBe(false);
      expect(holds(LEGACY, ALICE.id)).toBe(false);
      expect(holds(ALICE, LEGACY.id)).toBe(false);
    });

    it.each([undefined, null])(
      'a record without an owner (%s) is held by LEGACY_OWNER only',
      (recorded) => {
        expect(holds(LEGACY, recorded)).toBe(true);
        expect(holds(ALICE, recorded)).toBe(false);
        expect(holds(BOB, recorded)).toBe(false);
      },
    );

    it('an empty recorded owner is not "no owner"', () => {
      expect(holds(LEGACY, '')).toBe(false);
      expect(holds(ALICE, '')).toBe(false);
    });
  });
});

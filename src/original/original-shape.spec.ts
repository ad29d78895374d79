import { Types } from 'mongoose';
import { ALICE, LEGACY } from '../../test/unit/owners.js';
import { OWN_SHAPE } from '../todos/todo-shape.js';
import { ORIGINAL_SHAPE } from './original-shape.js';

const _id = new Types.ObjectId();
const created_at = new Date('2026-01-02T03:04:05.678Z');
const remind_at = new Date('2026-02-01T00:00:00.000Z');
const SECONDS = created_at.getTime() / 1000;

describe('the forms a todo is written in', () => {
  describe('this service own (OWN_SHAPE)', () => {
    it("writes every field, times as dates, the owner's id, LEGACY_OWNER's too", () => {
      for (const owner of [ALICE, LEGACY]) {
        expect(OWN_SHAPE.created(owner, { _id, content: 'a', created_at })).toStrictEqual({
          _id,
          owner_id: new Types.ObjectId(owner.id),
          content: 'a',
          created_at,
          is_finished: false,
          finished_at: null,
          remind_at: null,
          reminded_at: null,
        });
      }
    });

    it('sets a change as given', () => {
      const set = { is_finished: true, finished_at: created_at };
      expect(OWN_SHAPE.changed(set)).toStrictEqual(set);
    });
  });

  describe("the original's (ORIGINAL_SHAPE, STORE_ORIGINAL_TIMES)", () => {
    it('writes its four fields in epoch seconds, and no owner for LEGACY_OWNER', () => {
      const four = { content: 'a', created_at: SECONDS, is_finished: false, finished_at: null };
      expect(ORIGINAL_SHAPE.created(LEGACY, { _id, content: 'a', created_at })).toStrictEqual({
        _id,
        ...four,
      });
      expect(ORIGINAL_SHAPE.created(ALICE, { _id, content: 'a', created_at })).toStrictEqual({
        _id,
        owner_id: new Types.ObjectId(ALICE.id),
        ...four,
      });
    });

    it("adds a reminder's fields only when one is set", () => {
      expect(
        ORIGINAL_SHAPE.created(ALICE, { _id, content: 'a', created_at, remind_at }),
      ).toMatchObject({ remind_at, reminded_at: null });
    });

    it("stores a change's times as epoch seconds, a cleared one as null, the rest as given", () => {
      expect(ORIGINAL_SHAPE.changed({ is_finished: true, finished_at: created_at })).toStrictEqual({
        is_finished: true,
        finished_at: SECONDS,
      });
      expect(ORIGINAL_SHAPE.changed({ is_finished: false, finished_at: null })).toStrictEqual({
        is_finished: false,
        finished_at: null,
      });
      expect(ORIGINAL_SHAPE.changed({ content: 'b', remind_at })).toStrictEqual({
        content: 'b',
        remind_at,
      });
    });
  });
});

import { Types } from 'mongoose';
import type { Owner } from '../auth/owner.js';
import type { TodoShape } from '../todos/todo-shape.js';
import type { StoredTime } from '../todos/todo.schema.js';

const epochSeconds = (date: Date): StoredTime => date.getTime() / 1000;

/**
 * The original's form, for a cutover with STORE_ORIGINAL_TIMES, so that the original's own
 * reads of what this service writes look as if it had written it: a new todo has its four
 * fields (a reminder's only when one is set), times are float epoch seconds as its
 * `time.time()` wrote them, and LEGACY_OWNER's todos have no owner, as the original's have
 * none, so that its answers over the shared collection keep their five fields.
 */
export const ORIGINAL_SHAPE: TodoShape = {
  created: (owner, todo) => ({
    _id: todo._id,
    ...recordedAsTheOriginal(owner),
    content: todo.content,
    created_at: epochSeconds(todo.created_at),
    is_finished: false,
    finished_at: null,
    ...(todo.remind_at ? { remind_at: todo.remind_at, reminded_at: null } : {}),
  }),
  changed: ({ created_at, finished_at, ...rest }) => ({
    ...rest,
    ...(created_at === undefined ? {} : { created_at: epochSeconds(created_at) }),
    ...(finished_at === undefined ? {} : { finished_at: finished_at && epochSeconds(finished_at) }),
  }),
};

/** The `owner_id` of `owner`'s todo in the original's form: none for LEGACY_OWNER's account. */
export function recordedAsTheOriginal(owner: Owner): { owner_id?: Types.ObjectId } {
  return owner.holdsOwnerless ? {} : { owner_id: new Types.ObjectId(owner.id) };
}

import type { UpdateTodoDto } from './dto/update-todo.dto.js';

/** The reminder time a PATCH schedules: none when it finishes the todo. */
export const scheduledBy = (input: UpdateTodoDto): Date | null =>
  typeof input.remind_at === 'string' && input.is_finished !== true
    ? new Date(input.remind_at)
    : null;

/**
 * Whether a PATCH ends the reminder of the time the todo had (`previous`): by finishing it,
 * or by giving it another time (`scheduled`) or none.
 */
export const endsPrevious = (
  input: UpdateTodoDto,
  previous: Date | null,
  scheduled: Date | null,
): boolean =>
  input.is_finished === true ||
  (input.remind_at !== undefined && previous?.getTime() !== scheduled?.getTime());

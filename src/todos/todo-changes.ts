import { BadRequestException } from '@nestjs/common';
import type { UpdateTodoDto } from './dto/update-todo.dto.js';
import type { TodoFields } from './stored-form.js';

/** The fields a PATCH sets: finishing stamps `finished_at`, a new reminder time clears `reminded_at`. */
export function changesOf(input: UpdateTodoDto): TodoFields {
  const set: TodoFields = {};
  if (input.content !== undefined) set.content = input.content;
  if (input.is_finished !== undefined) {
    set.is_finished = input.is_finished;
    set.finished_at = input.is_finished ? new Date() : null;
  }
  if (input.remind_at !== undefined) {
    set.remind_at = input.remind_at === null ? null : new Date(input.remind_at);
    // A new reminder time has not been reminded of yet.
    if (input.remind_at !== null) set.reminded_at = null;
  }
  if (Object.keys(set).length === 0) {
    throw new BadRequestException('send at least one of content, is_finished, remind_at');
  }
  return set;
}

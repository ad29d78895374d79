import { Injectable, Logger } from '@nestjs/common';
import { BSON } from 'mongodb';
import type { TodoDto } from './dto/todo.dto.js';
import { readStoredTodo, type StoredTodo } from './stored-todo.js';

/** How much of an unreadable document's `_id` a warning quotes. */
const ID_QUOTE_LENGTH = 100;

/**
 * Reads stored todos into their API form for every reader (item reads, lists, exports),
 * skipping a document that cannot be a todo — with a warning naming its id and a count in
 * `todos_unreadable_total` — so that one bad document never breaks the page or the export
 * it is in (docs/decisions.md says why skipping, not guessing).
 */
@Injectable()
export class TodoReader {
  private readonly logger = new Logger(TodoReader.name);
  /** Unreadable documents met since the process started; exported as a metric. */
  unreadable = 0;

  read(stored: StoredTodo, where: string): TodoDto | undefined {
    const todo = readStoredTodo(stored);
    if (todo === undefined) {
      this.unreadable++;
      const id = BSON.EJSON.stringify(stored._id ?? null).slice(0, ID_QUOTE_LENGTH);
      this.logger.warn(
        `skipped the stored todo ${id} in ${where}: its _id is not an ObjectId or its content is not a string`,
      );
    }
    return todo;
  }

  /** The readable ones of `stored`, in order. */
  readAll(stored: StoredTodo[], where: string): TodoDto[] {
    return stored.flatMap((one) => this.read(one, where) ?? []);
  }
}

import { Transform, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { TodoDto } from '../todos/dto/todo.dto.js';
import type { StoredTodo } from '../todos/stored-todo.js';
import type { ExportFormat } from '../jobs/job-catalogue.js';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const COLUMNS: (keyof TodoDto)[] = [
  'id',
  'content',
  'is_finished',
  'created_at',
  'finished_at',
  'remind_at',
  'reminded_at',
];

/**
 * Stored todos → API-shaped todos, calling `onItem` for each (for progress: whether it was
 * written) and dropping those `read` cannot read. An exception fails the stream (and so the job): thrown
 * out of a transform, it would end the whole process instead.
 */
function toDtos(
  read: (stored: StoredTodo) => TodoDto | undefined,
  onItem: (written: boolean) => void,
): Transform {
  return new Transform({
    objectMode: true,
    transform(stored: StoredTodo, _encoding, done) {
      try {
        const todo = read(stored);
        onItem(todo !== undefined);
        done(null, todo);
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/** A JSON array, written one item at a time so memory stays flat whatever the count. */
function jsonArray(): Transform {
  let first = true;
  return new Transform({
    writableObjectMode: true,
    transform(todo: TodoDto, _encoding, done) {
      done(null, `${first ? '[' : ','}\n${JSON.stringify(todo)}`);
      first = false;
    },
    flush(done) {
      done(null, first ? '[]\n' : '\n]\n');
    },
  });
}

/**
 * RFC 4180 CSV with a header row; csv-stringify quotes commas, quotes and line breaks. A cell
 * a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return, or their full-width forms) gets a leading `'`, as OWASP advises: an export opened
 * in a spreadsheet must not run what another client stored. JSON stays exact.
 */
function csvRows(): Transform {
  return stringify({
    header: true,
    columns: COLUMNS,
    escape_formulas: true,
    cast: { boolean: (value) => String(value) },
  });
}

/** The byte stream of an export of `records` in `format`. */
export function formatExport(
  records: Readable,
  format: ExportFormat,
  read: (stored: StoredTodo) => TodoDto | undefined,
  onItem: (written: boolean) => void,
): Readable {
  const dtos = toDtos(read, onItem);
  const bytes = format === 'json' ? jsonArray() : csvRows();
  records.pipe(dtos).pipe(bytes);
  // pipe() passes no error on: a failing cursor or mapping must fail the export, not leave
  // it waiting for the end of its input for ever.
  for (const stage of [records, dtos]) stage.once('error', (error) => bytes.destroy(error));
  return bytes;
}

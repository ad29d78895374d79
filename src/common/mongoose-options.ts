import mongoose from 'mongoose';

/**
 * Process-wide Mongoose settings, applied by each entrypoint before any connection opens.
 *
 * - `sanitizeFilter`: a filter value that is an object with `$` keys (`{ $ne: null }`) is
 *   wrapped in `$eq` and matched literally, and `$where`, `$expr`, `$jsonSchema` and `$text`
 *   are refused; so a request value that ever reached a filter unvalidated could not act as
 *   an operator. The service's own operators are marked with `mongoose.trusted()`.
 * - `strictQuery`: filter keys the schema does not declare are dropped, never sent.
 *
 * Both sit behind the ValidationPipe, which already refuses such input with a 400.
 */
export function applyMongooseOptions(): void {
  mongoose.set('sanitizeFilter', true);
  mongoose.set('strictQuery', true);
}

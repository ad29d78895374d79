import { HttpException, HttpStatus } from '@nestjs/common';

/** A 429 that tells the client when to try again: the filter sends `Retry-After` from it. */
export class RetryLaterException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}

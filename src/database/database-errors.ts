import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/**
 * Server error codes that mean "this server cannot serve now, another attempt may succeed":
 * shutting down, stepping down, or not (yet) primary.
 */
const UNAVAILABLE_CODES = new Set([
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * Socket failures of Node's own. The driver wraps most in MongoNetworkError, but a write to a
 * socket the server has just closed can reach the caller as Node raised it (seen as
 * "This socket has been ended by the other party", EPIPE, while MongoDB was killed).
 */
const NETWORK_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT']);

/** Errors raised by name only: the driver does not export their classes, Mongoose wraps its own. */
const UNAVAILABLE_NAMES = new Set(['MongoWaitQueueTimeoutError', 'MongooseServerSelectionError']);

/**
 * Whether an error says that MongoDB is unreachable or unavailable for now — an outage the
 * client should retry after — rather than a fault in the request or in our code.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  // Not `instanceof Error`: an error Node itself raises comes from another realm than the
  // code's under a VM sandbox (Jest runs the API in one), and would not count.
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  if (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError || // timeouts and cleared pools included
    error instanceof MongoOperationTimeoutError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError ||
    UNAVAILABLE_NAMES.has(String((error as Error).name))
  ) {
    return true;
  }
  if (NETWORK_CODES.has(String((error as NodeJS.ErrnoException).code))) return true;
  if (error instanceof MongoError && typeof error.code === 'number') {
    if (UNAVAILABLE_CODES.has(error.code)) return true;
  }
  // Mongoose queues an operation while it sees no connection, then fails it with this.
  const { name, message, cause } = error as Error;
  if (name === 'MongooseError' && /buffering timed out/.test(String(message))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

import Negotiator from 'negotiator';

/**
 * Whether an `Accept` header admits a media type (RFC 9110 §12.5.1), parameters aside; no
 * header admits every type. Negotiator is the parser Express's content negotiation uses.
 */
export function accepts(accept: string | undefined, type: string): boolean {
  if (accept === undefined) return true;
  const bare = type.split(';')[0].trim();
  return new Negotiator({ headers: { accept } }).mediaType([bare]) !== undefined;
}

/**
 * What a personal access token may do. A session (a login) holds every scope; a token holds
 * the scopes it was made with, and a route needing another is a 403 naming it.
 */
export const SCOPES = ['todos:read', 'todos:write', 'exports'] as const;

export type Scope = (typeof SCOPES)[number];

export const ALL_SCOPES: readonly Scope[] = SCOPES;

const KNOWN = new Set<string>(SCOPES);

export const isScope = (value: string): value is Scope => KNOWN.has(value);

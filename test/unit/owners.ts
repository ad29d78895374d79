import type { Principal } from '../../src/auth/owner.js';
import { ALL_SCOPES } from '../../src/auth/scopes.js';

/**
 * Owners for unit specs: two accounts, and the LEGACY_OWNER account, which also holds what
 * has no owner (the original's todos, jobs from before accounts). Each holds every scope, as
 * a session does.
 */
export const ALICE: Principal = {
  id: '64a000000000000000000001',
  holdsOwnerless: false,
  scopes: ALL_SCOPES,
};
export const BOB: Principal = {
  id: '64b000000000000000000002',
  holdsOwnerless: false,
  scopes: ALL_SCOPES,
};
export const LEGACY: Principal = {
  id: '64c000000000000000000003',
  holdsOwnerless: true,
  scopes: ALL_SCOPES,
};

import type { Owner } from '../auth/owner.js';

/**
 * Owners for unit specs: two accounts, and the LEGACY_OWNER account, which also holds what
 * has no owner (the original's todos, jobs from before accounts).
 */
export const ALICE: Owner = { id: '64a000000000000000000001', holdsOwnerless: false };
export const BOB: Owner = { id: '64b000000000000000000002', holdsOwnerless: false };
export const LEGACY: Owner = { id: '64c000000000000000000003', holdsOwnerless: true };

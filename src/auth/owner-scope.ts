/**
 * The core's one way into the original service's compatibility (`src/original/`): which
 * account stands for the data that names no owner (the original's todos, jobs from before
 * accounts), set by LEGACY_OWNER during a cutover. Declared here and provided by
 * `original/`'s module, so no core folder imports `original/`: the core knows the
 * question, never how it is answered. Whatever it answers, the owner's filter is built
 * in one place, `ownedBy` (`owner.ts`).
 */
export abstract class OwnerScope {
  /** The account a tokenless call to the original's routes acts for; `undefined`: none. */
  abstract id(): Promise<string | undefined>;

  /** Whether `ownerId` is that account, which also holds what has no owner. */
  abstract is(ownerId: string): Promise<boolean>;

  /** Whether the API must leave `email` alone (registering it, deleting its account). */
  abstract reserves(email: string): boolean;
}

/** One job per account: an account id is never reused, so a second request adds nothing. */
export const accountDeletionJobId = (ownerId: string) => `delete-account-${ownerId}`;

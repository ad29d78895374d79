/** The job that deletes a deleted account's data, in the worker. */
export const DELETE_ACCOUNT_JOB = 'delete-account';

export interface AccountDeletionJobData {
  owner_id: string;
}

/** What the job deleted, per store: its result, for the admin board and the logs. */
export interface AccountDeletionResult {
  todos: number;
  export_files: number;
  jobs: number;
  credentials: number;
}

/** One job per account: an account id is never reused, so a second request adds nothing. */
export const accountDeletionJobId = (ownerId: string) => `delete-account-${ownerId}`;

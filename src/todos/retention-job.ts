/** The maintenance job: deletes ended sessions and old finished todos on the maintenance queue's schedule. */
export const PURGE_JOB = 'purge-finished';

/** The scheduler id of the repeatable retention job. */
export const PURGE_SCHEDULER_ID = 'purge-finished';

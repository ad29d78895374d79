import { QUEUES, type QueueName } from '../queues/queues.constants.js';

/*
 * Every background job: its name, its queue, its payload and its result. Features import
 * these types from here; the layer imports no feature.
 */

export type ExportFormat = 'json' | 'csv';

export interface ExportJobData {
  format: ExportFormat;
  /** Whose todos; absent on jobs from before accounts, which only LEGACY_OWNER sees. */
  owner_id?: string;
  /** Only finished (true) or unfinished (false) todos; all when absent. */
  finished?: boolean;
}

export interface ExportJobResult {
  file_id: string;
  filename: string;
  content_type: string;
  count: number;
  bytes: number;
  /** ISO-8601: the file is deleted then, and its download answers 410. */
  expires_at: string;
}

export interface ReminderJobData {
  todo_id: string;
  /** The todo's owner: only they see the job, and the webhook is told whose todo it is. */
  owner_id?: string;
  /** The `remind_at` this job was scheduled for; a todo rescheduled since is left alone. */
  remind_at: string;
}

export interface ReminderJobResult {
  reminded: boolean;
  webhook?: number;
}

/** What the maintenance job's exports part did. */
export interface ExportsSweep {
  expired: number;
  abandoned: number;
  stray_files: number;
  records_deleted: number;
}

export interface MaintenanceResult {
  /** Finished todos older than RETENTION_DAYS. */
  deleted: number;
  sessions_deleted: number;
  exports: ExportsSweep;
}

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

interface Entry<Data, Result> {
  queue: QueueName;
  /**
   * The job is its owner's (`data.owner_id`): deleting the account removes it. Not the
   * account deletion's own job, whose `owner_id` is the account it deletes.
   */
  owned: boolean;
  /**
   * The names the job was added under before: jobs already in Redis (a reminder can wait for
   * months) still dispatch to the handler.
   */
  formerNames: readonly string[];
  /** Type carriers only; never read at run time. */
  data?: Data;
  result?: Result;
}

const entry = <Data, Result>(
  queue: QueueName,
  owned: boolean,
  ...formerNames: string[]
): Entry<Data, Result> => ({ queue, owned, formerNames });

/** Names are `<feature or queue>.<verb>`. */
export const JOBS = {
  'exports.build': entry<ExportJobData, ExportJobResult>(QUEUES.exports, true, 'export'),
  'reminders.fire': entry<ReminderJobData, ReminderJobResult>(QUEUES.reminders, true, 'remind'),
  'maintenance.run': entry<Record<string, never>, MaintenanceResult>(
    QUEUES.maintenance,
    false,
    'purge-finished',
  ),
  'accounts.delete': entry<AccountDeletionJobData, AccountDeletionResult>(
    QUEUES.accounts,
    false,
    'delete-account',
  ),
} as const;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];
export type JobData<N extends JobName> = NonNullable<(typeof JOBS)[N]['data']>;
export type JobResult<N extends JobName> = NonNullable<(typeof JOBS)[N]['result']>;

/** The jobs whose payload names an owner, which deleting the account removes. */
export const OWNED_JOBS = JOB_NAMES.filter((name) => JOBS[name].owned);

/** The catalogued job a name of the queue stands for, today's or a former one. */
export function jobNamed(queue: string, name: string): JobName | undefined {
  return JOB_NAMES.find(
    (job) => JOBS[job].queue === queue && (job === name || JOBS[job].formerNames.includes(name)),
  );
}

/** The repeatable maintenance job, (re)declared by the worker at boot. */
export const MAINTENANCE_SCHEDULER_ID = 'purge-finished';

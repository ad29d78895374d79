import type { Job, Queue } from 'bullmq';
import { withinDeadline } from '../redis/within-deadline.js';

/** A job as `GET /jobs/{queue}/{id}` shows it; the status feature's DTO documents it. */
export interface JobView {
  id: string;
  queue: string;
  state: string;
  progress: number;
  attempts_made: number;
  result?: unknown;
  failed_reason?: string;
}

/**
 * A job's state and the job, state first: a job read after it reached `completed` or
 * `failed` is final, whereas a job read first could retry meanwhile and pair an old attempt
 * count with a newer state. No job when the queue holds none of that id.
 */
export async function readJob(queue: Queue, id: string): Promise<{ state: string; job?: Job }> {
  const state = await withinDeadline(queue.getJobState(id), 'look up the job');
  if (state === 'unknown') return { state };
  return { state, job: await withinDeadline(queue.getJob(id), 'look up the job') };
}

/** The job's view. */
export function jobViewOf(queue: string, id: string, state: string, job: Job): JobView {
  const view: JobView = {
    id,
    queue,
    state,
    progress: typeof job.progress === 'number' ? job.progress : 0,
    attempts_made: job.attemptsMade,
  };
  // null when the job was retried from the admin board between the two reads.
  if (state === 'completed') view.result = (job.returnvalue as unknown) ?? null;
  if (state === 'failed') view.failed_reason = job.failedReason;
  return view;
}

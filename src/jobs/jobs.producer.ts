import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, type Provider } from '@nestjs/common';
import type { Job, JobsOptions, JobState, Queue } from 'bullmq';
import { withinDeadline } from '../redis/within-deadline.js';
import { QUEUE_NAMES, type QueueName } from '../queues/queues.constants.js';
import { JOBS, type JobData, type JobName, type JobResult } from './job-catalogue.js';

/** Every queue by its name. */
export type JobQueues = Record<QueueName, Queue>;

const JOB_QUEUES = Symbol('JobQueues');

/** The queues `QueuesModule` registers, one per name in QUEUE_NAMES, gathered by name. */
export const JOB_QUEUES_PROVIDER: Provider = {
  provide: JOB_QUEUES,
  inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
  useFactory: (...queues: Queue[]): JobQueues =>
    Object.fromEntries(QUEUE_NAMES.map((name, at) => [name, queues[at]])) as JobQueues,
};

/**
 * The one way features reach the queues: adding a catalogued job, and the few reads and
 * removals of a job by its id. A feature names the job, never the queue.
 */
@Injectable()
export class JobsProducer {
  constructor(@Inject(JOB_QUEUES) private readonly queues: JobQueues) {}

  /** Adds the job; a Redis that does not answer within the deadline is a 503 (Retry-After). */
  enqueue<N extends JobName>(
    name: N,
    data: JobData<N>,
    options?: JobsOptions,
  ): Promise<Job<JobData<N>, JobResult<N>>> {
    const queue = this.queueOf(name);
    const added = queue.add(name, data, options) as Promise<Job<JobData<N>, JobResult<N>>>;
    return withinDeadline(added, `queue ${queue.name} work`);
  }

  /** Removes the job of that id (0 when there is none, or it is running). No deadline. */
  remove(name: JobName, jobId: string): Promise<number> {
    return this.queueOf(name).remove(jobId);
  }

  /** The state of the job of that id (`unknown` for none). No deadline. */
  stateOf(name: JobName, jobId: string): Promise<JobState | 'unknown'> {
    return this.queueOf(name).getJobState(jobId);
  }

  /** The queue a job runs on, for the layer's own readers (status, removal by owner). */
  queueOf(name: JobName): Queue {
    return this.queues[JOBS[name].queue];
  }

  /** The queue of that name, or none: `GET /jobs/{queue}/{id}` takes it from the path. */
  queueNamed(name: string): Queue | undefined {
    return Object.hasOwn(this.queues, name) ? this.queues[name as QueueName] : undefined;
  }
}

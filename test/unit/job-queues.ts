import type { Queue } from 'bullmq';
import { JobsProducer, type JobQueues } from '../../src/jobs/jobs.producer.js';
import { QUEUE_NAMES } from '../../src/queues/queues.constants.js';

/** A producer whose every queue is `queue`, or the queue `queues` names for it. */
export function producerOf(queue: Queue, queues: Partial<JobQueues> = {}): JobsProducer {
  return new JobsProducer(
    Object.fromEntries(QUEUE_NAMES.map((name) => [name, queues[name] ?? queue])) as JobQueues,
  );
}

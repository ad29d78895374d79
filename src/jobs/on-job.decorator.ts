import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';
import type { JobData, JobName, JobResult } from './job-catalogue.js';

/** The marker the worker looks for at boot; `OnJob` is its typed form. */
export const JobHandlerMarker = DiscoveryService.createDecorator<JobName>();

export type JobHandler<N extends JobName> = (
  job: Job<JobData<N>, JobResult<N>>,
) => Promise<JobResult<N>>;

/**
 * Marks the method of a feature's provider that runs the catalogued job. The method takes the
 * job and returns its result, typed by the catalogue; the worker calls it by the job's name.
 * What it throws fails the attempt, and BullMQ retries it as the queue's defaults say.
 */
export const OnJob =
  <N extends JobName>(name: N) =>
  <H extends JobHandler<N>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ) => {
    JobHandlerMarker(name)(target, key, descriptor);
  };

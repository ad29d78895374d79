import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { JobData, JobResult } from './job-catalogue.js';

/** The jobs made of steps each feature registers for its own data. */
export type SteppedJob = 'accounts.delete' | 'maintenance.run';

/** What a step tells the job besides its part of the result. */
export interface StepRun {
  /** The job fails once every step has run, so that its retry (with backoff) runs them all. */
  retryLater(reason: string): void;
}

export type Step<N extends SteppedJob> = (
  data: JobData<N>,
  run: StepRun,
) => Promise<Partial<JobResult<N>> | undefined>;

const StepMarker = DiscoveryService.createDecorator<{ job: SteppedJob; order: number }>();

const stepOf =
  <N extends SteppedJob>(job: N) =>
  (order: number) =>
  <S extends Step<N>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<S>,
  ) => {
    StepMarker({ job, order })(target, key, descriptor);
  };

/**
 * A feature's part of deleting a deleted account's data. `order` places it: credentials
 * first (10), then the account's jobs (20), export records and files (30), todos (40),
 * idempotency records (50), cached answers (60). Each step is idempotent: a retry runs all.
 */
export const OnAccountDeleted = stepOf('accounts.delete');

/** A feature's part of the maintenance job: sessions (10), exports (20), todos (30). */
export const OnMaintenance = stepOf('maintenance.run');

interface Found {
  job: SteppedJob;
  order: number;
  run: Step<SteppedJob>;
}

/** Every step of the given provider instances, in order, each instance counted once. */
export function findSteps(instances: unknown[]): Found[] {
  const scanner = new MetadataScanner();
  const found: Found[] = [];
  for (const instance of new Set(instances)) {
    if (!instance || typeof instance !== 'object') continue;
    for (const method of scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
      const fn = (instance as Record<string, unknown>)[method];
      if (typeof fn !== 'function') continue;
      const meta = Reflect.getMetadata(StepMarker.KEY, fn) as Omit<Found, 'run'> | undefined;
      if (meta) found.push({ ...meta, run: (fn as Step<SteppedJob>).bind(instance) });
    }
  }
  return found.sort((a, b) => a.order - b.order);
}

/**
 * Runs a stepped job's steps, in order, each in turn (a step may rely on the one before, as
 * the export files' step on the records being gone). Their results merge into the job's.
 */
@Injectable()
export class JobSteps implements OnModuleInit {
  private steps: Found[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.steps = findSteps(this.discovery.getProviders().map((w) => w.instance as unknown));
  }

  async run<N extends SteppedJob>(
    job: N,
    data: JobData<N>,
  ): Promise<{ result: Partial<JobResult<N>>; retry: string[] }> {
    const retry: string[] = [];
    const run: StepRun = { retryLater: (reason) => void retry.push(reason) };
    let result: Partial<JobResult<N>> = {};
    for (const step of this.steps.filter((s) => s.job === job)) {
      result = { ...result, ...((await (step.run as Step<N>)(data, run)) ?? {}) };
    }
    return { result, retry };
  }
}

import { MetadataScanner } from '@nestjs/core';
import { type Job, UnrecoverableError } from 'bullmq';
import { JOB_NAMES, jobNamed, type JobName } from './job-catalogue.js';
import { JobHandlerMarker } from './on-job.decorator.js';

export type BoundHandler = (job: Job) => Promise<unknown>;

/** A catalogued job without a handler, or with two: the worker must not start. */
export class JobHandlersError extends Error {}

const scanner = new MetadataScanner();

/** Every `@OnJob` method of the given provider instances, bound, with where it was found. */
export function findHandlers(
  instances: unknown[],
): { name: JobName; at: string; run: BoundHandler }[] {
  const found: { name: JobName; at: string; run: BoundHandler }[] = [];
  for (const instance of new Set(instances)) {
    if (!instance || typeof instance !== 'object') continue;
    const prototype = Object.getPrototypeOf(instance) as object | null;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const fn = (instance as Record<string, unknown>)[method];
      if (typeof fn !== 'function') continue;
      const name = Reflect.getMetadata(JobHandlerMarker.KEY, fn) as JobName | undefined;
      if (name === undefined) continue;
      const at = `${instance.constructor.name}.${method}`;
      found.push({ name, at, run: (fn as BoundHandler).bind(instance) });
    }
  }
  return found;
}

/**
 * Exactly one handler per catalogued name, else a `JobHandlersError` naming every name that
 * has none or more than one (and where they are).
 */
export function handlerMap(found: ReturnType<typeof findHandlers>): Map<JobName, BoundHandler> {
  const problems: string[] = [];
  const handlers = new Map<JobName, BoundHandler>();
  for (const name of JOB_NAMES) {
    const of = found.filter((handler) => handler.name === name);
    if (of.length === 0) problems.push(`no @OnJob('${name}') handler`);
    if (of.length > 1) {
      problems.push(`${of.length} @OnJob('${name}') handlers (${of.map((h) => h.at).join(', ')})`);
    }
    if (of.length === 1) handlers.set(name, of[0].run);
  }
  if (problems.length > 0) throw new JobHandlersError(`job handlers: ${problems.join('; ')}`);
  return handlers;
}

/**
 * The processor of one queue's worker: the handler of the job's name, today's or a former
 * one. A name the catalogue does not know cannot succeed on a retry: it fails for good.
 */
export const dispatcher =
  (queue: string, handlers: Map<JobName, BoundHandler>) =>
  (job: Job): Promise<unknown> => {
    const name = jobNamed(queue, job.name);
    const handler = name && handlers.get(name);
    if (!handler) {
      return Promise.reject(
        new UnrecoverableError(`no handler for job '${job.name}' on queue ${queue}`),
      );
    }
    return handler(job);
  };

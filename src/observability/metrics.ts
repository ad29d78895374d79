import { Histogram, Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, with Node's own metrics (heap, event loop lag, GC, handles). */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export const httpDuration = (registry: Registry) =>
  new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

export const jobDuration = (registry: Registry) =>
  new Histogram({
    name: 'jobs_duration_seconds',
    help: 'Processing time of finished jobs by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [registry],
  });

export const jobFailures = (registry: Registry) =>
  new Counter({
    name: 'jobs_failed_total',
    help: 'Failed job attempts by queue',
    labelNames: ['queue'],
    registers: [registry],
  });

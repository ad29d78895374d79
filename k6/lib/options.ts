// Thresholds and the options every scenario shares.
import type { Options, Scenario, Threshold } from 'k6/options';
import type { Op } from './api.ts';
import { countEnv, numberEnv } from './env.ts';

/**
 * p95 budgets in ms at the expected load, for the service and its stores on one host or a
 * LAN. LATENCY_SCALE stretches them all, e.g. for a remote target or a small machine.
 */
const P95_MS: Record<Op, number> = {
  page1: 100, // usually a cache hit
  legacy: 100, // idem
  item: 100,
  page: 250, // deeper pages miss the cache more often
  create: 300, // a write waits for cache invalidation before answering
  update: 300,
  delete: 300,
};

export interface Budget {
  /** Multiplies every p95 budget: 1 at the expected load, more where overload is the point. */
  latencyFactor: number;
  /** Highest share of failed requests (http_req_failed). */
  maxFailed: number;
  /** Lowest share of passed checks. */
  minChecks: number;
  /** Stop the run early when errors pass the limit, after `abortDelay` of grace. */
  abortOnErrors: boolean;
  /** Stop the run early when a p95 budget is blown, after `abortDelay` of grace. */
  abortOnLatency: boolean;
  abortDelay: string;
  /** Whether 429s are an expected answer here (see expectRateLimiting). */
  rateLimited: boolean;
}

function rule(threshold: string, abort: boolean, budget: Budget): Threshold {
  return abort ? { threshold, abortOnFail: true, delayAbortEval: budget.abortDelay } : threshold;
}

export function thresholds(budget: Budget): Record<string, Threshold[]> {
  const scale = numberEnv('LATENCY_SCALE', 1) * budget.latencyFactor;
  const result: Record<string, Threshold[]> = {
    http_req_failed: [rule(`rate<=${budget.maxFailed}`, budget.abortOnErrors, budget)],
    checks: [rule(`rate>=${budget.minChecks}`, budget.abortOnErrors, budget)],
  };
  if (!budget.rateLimited) {
    // Fails fast, under its own name, when the API's rate limit was left on for a load run.
    result['rate_limited'] = [
      { threshold: 'rate<0.001', abortOnFail: true, delayAbortEval: '10s' },
    ];
  }
  for (const op of Object.keys(P95_MS) as Op[]) {
    const ms = Math.round(P95_MS[op] * scale);
    result[`http_req_duration{op:${op}}`] = [rule(`p(95)<${ms}`, budget.abortOnLatency, budget)];
  }
  return result;
}

export function runOptions(scenario: Scenario, budget: Budget): Options {
  return {
    scenarios: { main: scenario },
    thresholds: thresholds(budget),
    summaryTrendStats: ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
    // Teardown pages through the list and deletes this run's todos one by one.
    teardownTimeout: '10m',
  };
}

/** VUs an arrival-rate scenario may use: enough for `rate` iterations/s at up to 1 s each. */
export function vusFor(rate: number): { preAllocatedVUs: number; maxVUs: number } {
  const maxVUs = countEnv('MAX_VUS', Math.max(20, rate));
  return { preAllocatedVUs: Math.min(maxVUs, Math.ceil(rate / 10) + 5), maxVUs };
}

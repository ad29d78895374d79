// Load: ramp to the expected rate, hold it, ramp down. Open model (arrival rate): a slow
// service gets the same offered load instead of fewer requests, and k6 reports
// dropped_iterations when it runs out of VUs.
import type { Options } from 'k6/options';
import { expectRateLimiting } from './lib/api.ts';
import { booleanEnv, countEnv, durationEnv } from './lib/env.ts';
import { runOptions, vusFor } from './lib/options.ts';
import { iteration, type RunData } from './lib/workload.ts';

export { setup, teardown } from './lib/workload.ts';

/** Iterations per second at the plateau; most iterations are one request. */
const rate = countEnv('RATE', 200);
// A 429 here means the API's limit was left on: the run measures the limiter, not the API.
const rateLimited = booleanEnv('EXPECT_429', false);
expectRateLimiting(rateLimited);

export const options: Options = runOptions(
  {
    executor: 'ramping-arrival-rate',
    startRate: 0,
    timeUnit: '1s',
    ...vusFor(rate),
    stages: [
      { target: rate, duration: durationEnv('RAMP', '1m') },
      { target: rate, duration: durationEnv('DURATION', '5m') },
      { target: 0, duration: '30s' },
    ],
  },
  {
    latencyFactor: 1,
    maxFailed: 0.01,
    minChecks: 0.99,
    abortOnErrors: true,
    // Slow is a result worth reading in full; broken is not worth waiting for.
    abortOnLatency: false,
    abortDelay: '30s',
    rateLimited,
  },
);

export default function (data: RunData): void {
  iteration(data);
}

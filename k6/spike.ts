// Spike: steady traffic, a sudden jump to SPIKE× for a minute, a sudden drop, then a quiet
// stretch to see the service recover (latency back to baseline, no lingering errors).
import type { Options } from 'k6/options';
import { expectRateLimiting } from './lib/api.ts';
import { booleanEnv, countEnv, numberEnv } from './lib/env.ts';
import { runOptions, vusFor } from './lib/options.ts';
import { iteration, type RunData } from './lib/workload.ts';

export { setup, teardown } from './lib/workload.ts';

const rate = countEnv('RATE', 100);
const peak = Math.round(rate * numberEnv('SPIKE', 10));
const rateLimited = booleanEnv('EXPECT_429', true);
expectRateLimiting(rateLimited);

export const options: Options = runOptions(
  {
    executor: 'ramping-arrival-rate',
    startRate: rate,
    timeUnit: '1s',
    ...vusFor(peak),
    stages: [
      { target: rate, duration: '1m' },
      { target: peak, duration: '10s' },
      { target: peak, duration: '1m' },
      { target: rate, duration: '10s' },
      { target: rate, duration: '2m' },
      { target: 0, duration: '10s' },
    ],
  },
  {
    latencyFactor: 5,
    maxFailed: 0.05,
    minChecks: 0.95,
    // Run to the end whatever happens: the recovery after the drop is what this measures.
    abortOnErrors: false,
    abortOnLatency: false,
    abortDelay: '0s',
    rateLimited,
  },
);

export default function (data: RunData): void {
  iteration(data);
}

// Stress: step the rate up past what the service can take (1×, 2×, 4×, 6× RATE), then back
// to zero. Read where latency bends, where errors start, and whether it recovers.
import type { Options } from 'k6/options';
import { expectRateLimiting } from './lib/api.ts';
import { booleanEnv, countEnv, durationEnv } from './lib/env.ts';
import { runOptions, vusFor } from './lib/options.ts';
import { iteration, type RunData } from './lib/workload.ts';

export { setup, teardown } from './lib/workload.ts';

const rate = countEnv('RATE', 200);
const hold = durationEnv('STEP', '2m');
// Past capacity, a limiter in front (nginx, or the API's own) shedding load with 429 is
// the behaviour wanted; EXPECT_429=false makes every 429 a failure instead.
const rateLimited = booleanEnv('EXPECT_429', true);
expectRateLimiting(rateLimited);

const steps = [1, 2, 4, 6].flatMap((factor) => [
  { target: rate * factor, duration: '30s' },
  { target: rate * factor, duration: hold },
]);

export const options: Options = runOptions(
  {
    executor: 'ramping-arrival-rate',
    startRate: 0,
    timeUnit: '1s',
    ...vusFor(rate * 6),
    stages: [...steps, { target: 0, duration: '1m' }],
  },
  {
    // Budgets are blown on purpose here; the thresholds say at which step, not whether.
    latencyFactor: 3,
    maxFailed: 0.1,
    minChecks: 0.9,
    // Past 10% errors the service is down and further steps add only noise.
    abortOnErrors: true,
    abortOnLatency: false,
    abortDelay: '1m',
    rateLimited,
  },
);

export default function (data: RunData): void {
  iteration(data);
}

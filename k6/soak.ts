// Soak: the expected rate for hours (DURATION, 2h by default). Finds what only time shows:
// memory or connection leaks, a growing cache, latency creeping up, Redis or MongoDB filling.
import type { Options } from 'k6/options';
import { expectRateLimiting } from './lib/api.ts';
import { booleanEnv, countEnv, durationEnv } from './lib/env.ts';
import { runOptions, vusFor } from './lib/options.ts';
import { iteration, type RunData } from './lib/workload.ts';

export { setup, teardown } from './lib/workload.ts';

const rate = countEnv('RATE', 100);
const rateLimited = booleanEnv('EXPECT_429', false);
expectRateLimiting(rateLimited);

export const options: Options = runOptions(
  {
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration: durationEnv('DURATION', '2h'),
    ...vusFor(rate),
  },
  {
    latencyFactor: 1,
    maxFailed: 0.01,
    minChecks: 0.99,
    // Hours are expensive: stop once errors or latency are over budget for good, after a
    // grace period long enough for warm-up and the first cache fill.
    abortOnErrors: true,
    abortOnLatency: true,
    abortDelay: '10m',
    rateLimited,
  },
);

export default function (data: RunData): void {
  iteration(data);
}

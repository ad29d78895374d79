// Smoke: two users for 30 s. Does every route answer correctly under trivial load? Run it
// before any bigger scenario; it stays far below the API's default rate limit.
import { sleep } from 'k6';
import type { Options } from 'k6/options';
import { expectRateLimiting } from './lib/api.ts';
import { booleanEnv, countEnv, durationEnv } from './lib/env.ts';
import { runOptions } from './lib/options.ts';
import { iteration, type RunData } from './lib/workload.ts';

export { setup, teardown } from './lib/workload.ts';

const rateLimited = booleanEnv('EXPECT_429', false);
expectRateLimiting(rateLimited);

export const options: Options = runOptions(
  {
    executor: 'constant-vus',
    vus: countEnv('VUS', 2),
    duration: durationEnv('DURATION', '30s'),
  },
  {
    latencyFactor: 1,
    // Any failure at this load is a bug: stop at the first evaluation that sees one.
    maxFailed: 0,
    minChecks: 1,
    abortOnErrors: true,
    abortOnLatency: false,
    abortDelay: '5s',
    rateLimited,
  },
);

export default function (data: RunData): void {
  iteration(data);
  sleep(0.5 + Math.random()); // a person's pause between clicks
}

// Chaos tests: `test/chaos/*.chaos-spec.ts`. Each scenario runs a bounded load against the
// real API while it kills, freezes and restarts servers of its own (never the shared ones),
// then checks what the service promises. Run in band: they measure latencies on 2 cores.
import { base } from '../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/test/chaos'],
  // A suite that fails half-way can leave a private server's socket open; Jest must still
  // end, with the failure reported, rather than hang the run.
  forceExit: true,
  testRegex: '.*\\.chaos-spec\\.ts$',
  testTimeout: 120_000,
};

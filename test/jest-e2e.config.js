// End-to-end tests: `test/**/*.e2e-spec.ts`, against the real MongoDB-compatible server and
// Redis that `npm test` starts. Each file uses a database of its own.
import { base } from '../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/test'],
  // A suite that fails half-way can leave a private server's socket open; Jest must still
  // end, with the failure reported, rather than hang the run.
  forceExit: true,
  testRegex: '.*\\.e2e-spec\\.ts$',
  testTimeout: 30_000,
};

// Browser tests: Swagger UI driven in Debian's Chromium through playwright-core.
import { base } from '../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/test'],
  // A suite that fails half-way can leave a private server's socket open; Jest must still
  // end, with the failure reported, rather than hang the run.
  forceExit: true,
  testRegex: '.*\\.browser-spec\\.ts$',
  testTimeout: 60_000,
};

// Browser tests: Swagger UI driven in Debian's Chromium through playwright-core.
import { base } from '../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/test'],
  testRegex: '.*\\.browser-spec\\.ts$',
  testTimeout: 60_000,
};

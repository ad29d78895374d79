// Unit tests: `src/**/*.spec.ts`, beside the code. Jest runs in its native ESM mode
// (node --experimental-vm-modules, see package.json) because Nest 12 ships ESM only and
// Jest's CommonJS runtime cannot require ESM on Node 20.
/** @type {import('jest').Config} */
export const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
    'node_modules/content-disposition/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  // The one ESM-only package that a CommonJS dependency require()s (@fastify/static →
  // content-disposition 3): Jest cannot require ESM on Node < 24.9, so it is compiled to CJS.
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  // Sources import siblings as `./x.js` (NodeNext); map them back to the `.ts` files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default { ...base, rootDir: 'src', testRegex: '.*\\.spec\\.ts$' };

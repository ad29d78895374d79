// Unit tests: `src/**/*.spec.ts`, beside the code, and `test/unit/*.spec.ts`, the specs of
// what unit specs share (strict fakes, owners) and of the build, kept out of src/ so the
// build never ships them. The sources are ES modules (Nest 12 ships ESM only), so Jest runs
// in its ESM mode: node --experimental-vm-modules (see package.json), which Jest still needs
// on Node 26 for its module system over `vm`.
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
  },
  // Sources import siblings as `./x.js` (NodeNext); map them back to the `.ts` files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  ...base,
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test/unit'],
  testRegex: '.*\\.spec\\.ts$',
};

// Type-checked rules everywhere, floating promises are errors, Prettier owns formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import regexp from 'eslint-plugin-regexp';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // ReDoS: no pattern of the service may backtrack or move super-linearly on input it
    // refuses. `potential` assumes a rejecting suffix wherever the use is unknown (a pattern
    // handed to a validator), and `ignorePartial: false` checks patterns used only for their
    // `.source` (the OpenAPI document's form), which the move rule would otherwise skip.
    files: ['src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': [
        'error',
        { report: 'potential', ignorePartial: false, ignoreSticky: false },
      ],
      // The rules read literals only: a pattern built from a string, or written as one for
      // the document, would go unchecked. Write it once as a literal; its string is `.source`.
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='RegExp'], CallExpression[callee.name='RegExp']",
          message:
            'Write the pattern as a RegExp literal (src/common/patterns.ts), so lint checks it for ReDoS.',
        },
        {
          selector: "Property[key.name='pattern'] > :matches(Literal, TemplateLiteral)",
          message:
            "Derive a documented pattern from a RegExp literal's `.source` (src/common/patterns.ts), so lint checks it for ReDoS.",
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
  {
    // Tests use Jest's asymmetric matchers, typed `any` by @types/jest.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  prettier,
);

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The module boundary of ARCHITECTURE.md: a module imports only another module's index.ts, and
// platform/ never imports modules/. From modules/<m>/x.ts another module is `../<other>/…`; from
// modules/<m>/<sub>/x.ts it is `../../<other>/…` (`../../../platform` is not a module).
const onlyIndexOf = (up) => ({
  regex: `^${'\\.\\./'.repeat(up)}[^./][^/]*/(?!index\\.ts$)`,
  message: "A module imports only another module's index.ts (docs/ARCHITECTURE.md).",
});
const moduleBoundary = (up) => ({
  'no-restricted-imports': ['error', { patterns: [onlyIndexOf(up)] }],
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'coverage', 'test-results', 'infra/cdk.out'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only server/src/config.ts reads the environment.',
        },
      ],
    },
  },
  {
    files: [
      'server/src/config.ts',
      'server/test/**',
      'vitest.config.ts',
      'e2e/**',
      'bench/**',
      '**/*.test.ts',
      'server/src/cli/**',
      'infra/**',
      'scripts/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // One way to write a date or a number in the web app (issue 21 item 6): web/src/lib/format.ts.
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: ['web/src/lib/format.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^toLocale(Date|Time)?String$/], MemberExpression[object.name='Intl'][property.name='DateTimeFormat']",
          message: 'Format dates and numbers with web/src/lib/format.ts (one formatter).',
        },
      ],
    },
  },
  { files: ['server/src/modules/*/*.ts'], rules: moduleBoundary(1) },
  { files: ['server/src/modules/*/*/*.ts'], rules: moduleBoundary(2) },
  {
    files: ['server/src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)modules/',
              message: 'platform/ holds technology adapters and never imports modules/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.tsx', 'web/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);

import { defineConfig } from 'vitest/config';

// `npm run infra:test`: the CDK app's template assertions and the migration runner. Apart from
// `npm test` (which runs twice in CI, once per database): synthesising takes a few seconds and
// needs no database. The built-in template validation is left to `npm run infra:synth`.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { CDK_VALIDATION: 'false' },
  },
});

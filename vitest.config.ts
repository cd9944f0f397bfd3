import { defineConfig } from 'vitest/config';

// The suite runs on SQLite by default and on MariaDB + Redis with TEST_DB=mysql.
export default defineConfig({
  test: {
    include: [
      'server/**/*.test.ts',
      'shared/**/*.test.ts',
      'web/src/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    globalSetup: ['server/test/global-setup.ts'],
    // A test fails when a route answers a status its OpenAPI operation does not list (issue 26).
    setupFiles: ['server/test/documented-statuses.setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});

// `npm run lint:openapi`: builds the app on a throwaway SQLite directory (nothing listens, no
// network), writes its OpenAPI document to test-results/openapi.json (or the path given) and lints
// it with Redocly CLI's `recommended` rules (redocly.yaml), offline: no telemetry, no update check.
// Exits non-zero on any problem. server/src/platform/http/openapi.test.ts runs the same lint.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { createDeps } from '../server/src/deps.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The document as the app serves it at /api/openapi.json. */
export async function openApiDocument(): Promise<unknown> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pas-openapi-'));
  try {
    const config = loadConfig({
      DATA_DIR: dataDir,
      JWT_SECRET: 'openapi-document-only-0123456789abcdef',
      RATE_LIMIT: 'on',
      DEMO_DATA: 'false',
      JOBS: 'off',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://localhost:3000',
    });
    const deps = await createDeps(config);
    await deps.database.migrate();
    const app = await buildApp(deps, { webDir: null });
    try {
      return (await app.inject({ url: '/api/openapi.json' })).json();
    } finally {
      await app.close();
      await deps.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Redocly CLI's lint of `file` with the project's redocly.yaml; throws on any problem. */
export function lintOpenApi(file: string) {
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'),
      'lint',
      file,
      '--config',
      path.join(ROOT, 'redocly.yaml'),
      '--max-problems',
      '50',
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
}

if (import.meta.main) {
  const file = path.resolve(process.argv[2] ?? path.join(ROOT, 'test-results/openapi.json'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
  console.log(`wrote ${path.relative(ROOT, file)}`);
  lintOpenApi(file);
}

// A server that would run wrongly refuses to start and says why (issue 16 item 9): several
// instances need one JWT_SECRET, and a database without its tables needs `npm run db:migrate`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, sharedSecretProblem } from '../../src/config.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts `server/src/main.ts` with only these variables; returns how it ended. */
function startServer(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pas-start-'));
  dirs.push(dataDir);
  const run = spawnSync(process.execPath, ['server/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...env,
    },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: run.status, stderr: run.stderr };
}

describe('refusing to start', () => {
  it('when DATABASE_URL or REDIS_URL is set without JWT_SECRET, then the server exits 78 naming JWT_SECRET', () => {
    for (const env of [
      { DATABASE_URL: 'mysql://app:pw@127.0.0.1:1/pitchaseat' } as Record<string, string>,
      { REDIS_URL: 'redis://127.0.0.1:1' },
    ]) {
      const run = startServer(env);
      expect(run.status, run.stderr).toBe(78);
      expect(run.stderr).toContain('JWT_SECRET');
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('when JWT_SECRET is set, or neither shared service is, then the secret is no problem', () => {
    const base = { DATA_DIR: '/tmp/x' };
    expect(sharedSecretProblem(loadConfig(base))).toBeNull();
    expect(
      sharedSecretProblem(
        loadConfig({
          ...base,
          DATABASE_URL: 'mysql://a:b@h:3306/d',
          JWT_SECRET: 'a-secret-that-is-long-enough-0123456789',
          DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        }),
      ),
    ).toBeNull();
    // A shared database also needs one data encryption key (issue 18: sealed recipient data).
    expect(
      sharedSecretProblem(
        loadConfig({
          ...base,
          DATABASE_URL: 'mysql://a:b@h:3306/d',
          JWT_SECRET: 'a-secret-that-is-long-enough-0123456789',
        }),
      ),
    ).toMatch(/DATA_ENCRYPTION_KEY/);
    expect(() =>
      loadConfig({ ...base, DATA_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }),
    ).toThrow(/DATA_ENCRYPTION_KEY/);
    expect(sharedSecretProblem(loadConfig({ ...base, REDIS_URL: 'redis://h:6379' }))).toMatch(
      /JWT_SECRET/,
    );
  });

  it('when the database has no tables, then the server says "run npm run db:migrate" instead of a stack trace', () => {
    const run = startServer({ MIGRATE_ON_START: 'false', DEMO_DATA: 'false' });
    expect(run.status, run.stderr).toBe(78);
    expect(run.stderr).toContain('run npm run db:migrate');
    expect(run.stderr).not.toMatch(/ER_NO_SUCH_TABLE|no such table|\n\s+at /);
  });
});

// Users: rows inserted directly (no password: they cannot log in), with a token when a test signs
// in, or registered through the API when the test is about accounts.
import { randomUUID } from 'node:crypto';
import { newUserRow } from '../../src/modules/accounts/index.ts';
import type { UsersTable } from '../../src/platform/db/schema.ts';
import type { TestApp } from '../build-test-app.ts';
import { insertRows, type Fixture } from './fixture.ts';

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 12)}@example.test`;

export interface TestUser {
  id: string;
  auth: { authorization: string };
}

/** A users row (not inserted): a unique e-mail, no password; `overrides` set any column. */
export function userRow(now: Date, overrides: Partial<UsersTable> = {}): UsersTable {
  return newUserRow(
    { email: uniqueEmail('fan'), password_hash: '!', name: 'Test Fan', ...overrides },
    now.toISOString(),
  );
}

/** Inserts one user per entry (in a few statements); returns their ids in order. */
export async function insertUsers(f: Fixture, overrides: Partial<UsersTable>[]): Promise<string[]> {
  const now = f.deps.clock.now();
  const rows = overrides.map((o) => userRow(now, o));
  await insertRows(f, 'users', rows);
  return rows.map((r) => r.id);
}

export async function insertUser(f: Fixture, overrides: Partial<UsersTable> = {}) {
  const [id] = await insertUsers(f, [overrides]);
  return id!;
}

/** A user row and a bearer token (fast enough for 200 buyers). */
export async function signedInUser(
  f: Fixture,
  overrides: Partial<UsersTable> = {},
): Promise<TestUser> {
  const id = await insertUser(f, overrides);
  const { token } = await f.deps.tokens.issue(id, f.deps.clock.now());
  return { id, auth: { authorization: `Bearer ${token}` } };
}

/** Registration through the API (with a password that logs in). */
export async function registerUser(
  t: TestApp,
  overrides: Partial<{
    email: string;
    password: string;
    name: string;
    favoriteTeamId: string;
    locale: 'zh-TW' | 'en';
  }> = {},
) {
  const body = {
    email: uniqueEmail(),
    password: 'correct horse battery',
    name: 'Test Fan',
    ...overrides,
  };
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const json = res.json() as { user: { id: string; email: string }; token: string };
  return { ...json, password: body.password, auth: { authorization: `Bearer ${json.token}` } };
}

/** An admin created as operators do (npm run admin) and logged in through the API. */
export async function makeAdmin(t: TestApp) {
  const email = uniqueEmail('admin');
  await t.deps.accounts.createAdmin(email, 'admin password 123');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: 'admin password 123' },
  });
  const json = res.json() as { user: { id: string }; token: string };
  return { ...json, auth: { authorization: `Bearer ${json.token}` } };
}

// Test data builders. Every call makes new rows with unique values; tests assert on what they made.
import { randomUUID } from 'node:crypto';
import type { DB, UsersTable } from '../src/platform/db/schema.ts';
import { newUserRow } from '../src/modules/accounts/index.ts';
import type { TestApp } from './build-test-app.ts';

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 12)}@example.test`;

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

/**
 * A users row for inserting directly (faster than registerUser, and ratings can be set): no
 * password, so it cannot log in; a unique e-mail starting with `label`.
 */
export function userRow(now: Date, label: string, overrides: Partial<UsersTable> = {}) {
  const email = uniqueEmail(label);
  return newUserRow(
    { email, password_hash: '!', name: 'Test Fan', ...overrides },
    now.toISOString(),
  );
}

/** Inserts rows into `table`, 500 per statement. */
export async function insertRows<T extends keyof DB>(t: TestApp, table: T, rows: DB[T][]) {
  for (let i = 0; i < rows.length; i += 500)
    await t.deps.db
      .insertInto(table)
      .values(rows.slice(i, i + 500) as never)
      .execute();
}

// Users: rows inserted directly (no password: they cannot log in), with a token when a test signs
// in, or registered through the API when the test is about accounts.
import { randomUUID } from 'node:crypto';
import { newUserRow, totpCode } from '../../src/modules/accounts/index.ts';
import type { UsersTable } from '../../src/platform/db/schema.ts';
import type { TestApp } from '../build-test-app.ts';
import { insertRows, type Fixture } from './fixture.ts';

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 12)}@example.test`;

export interface TestUser {
  id: string;
  auth: { authorization: string };
}

/**
 * A users row (not inserted): a unique e-mail (verified), no password; `overrides` set any column
 * (`email_verified_at: null` for an unverified account).
 */
export function userRow(now: Date, overrides: Partial<UsersTable> = {}): UsersTable {
  return newUserRow(
    {
      email: uniqueEmail('fan'),
      password_hash: '!',
      name: 'Test Fan',
      email_verified_at: now.toISOString(),
      ...overrides,
    },
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

/**
 * A user row and a bearer token (a session; fast enough for 200 buyers). An admin's session has
 * passed two-factor sign-in, as /api/admin requires.
 */
export async function signedInUser(
  f: Fixture,
  overrides: Partial<UsersTable> = {},
): Promise<TestUser> {
  const id = await insertUser(f, overrides);
  const { token } = await f.deps.tokens.issue(id, f.deps.clock.now(), {
    mfa: overrides.role === 'admin',
  });
  return { id, auth: { authorization: `Bearer ${token}` } };
}

/** `n` signed-in users, one after another (a crowd for the race tests). */
export async function signedInUsers(f: Fixture, n: number): Promise<TestUser[]> {
  const out: TestUser[] = [];
  for (let i = 0; i < n; i++) out.push(await signedInUser(f));
  return out;
}

/** As if the user opened the verification link (the e-mail flow is tested in accounts). */
export async function markEmailVerified(f: Fixture, userId: string) {
  await f.deps.db
    .updateTable('users')
    .set({ email_verified_at: f.deps.clock.now().toISOString() })
    .where('id', '=', userId)
    .execute();
}

/**
 * Registration through the API (with a password that logs in). The address is then marked
 * verified, as if the link was opened, unless `verified: false`.
 */
export async function registerUser(
  t: TestApp,
  overrides: Partial<{
    email: string;
    password: string;
    name: string;
    favoriteTeamId: string;
    locale: 'zh-TW' | 'en';
    verified: boolean;
  }> = {},
) {
  const { verified = true, ...fields } = overrides;
  const body = {
    email: uniqueEmail(),
    password: 'correct horse battery',
    name: 'Test Fan',
    ...fields,
  };
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const json = res.json() as { user: { id: string; email: string }; token: string };
  if (verified) await markEmailVerified(t, json.user.id);
  return { ...json, password: body.password, auth: { authorization: `Bearer ${json.token}` } };
}

/**
 * The current TOTP code of `secret`, `stepsAhead` 30-second steps on (a code is accepted one step
 * either side of now, once): tests that sign in twice within one step use the next step's code.
 */
export function totpCodeFor(t: TestApp, secret: string, stepsAhead = 0) {
  return totpCode(secret, new Date(t.deps.clock.now().getTime() + stepsAhead * 30_000));
}

/** Turns on two-factor sign-in for a signed-in user through the API; the secret and codes. */
export async function enrolTotp(t: TestApp, auth: { authorization: string }) {
  const setup = await t.app.inject({ method: 'POST', url: '/api/me/totp/setup', headers: auth });
  if (setup.statusCode !== 200) throw new Error(`totp setup: ${setup.statusCode} ${setup.body}`);
  const { secret } = setup.json() as { secret: string };
  const confirm = await t.app.inject({
    method: 'POST',
    url: '/api/me/totp/confirm',
    headers: auth,
    payload: { code: totpCodeFor(t, secret) },
  });
  if (confirm.statusCode !== 200)
    throw new Error(`totp confirm: ${confirm.statusCode} ${confirm.body}`);
  return { secret, recoveryCodes: (confirm.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/**
 * An admin created as operators do (npm run admin), logged in through the API and enrolled in
 * two-factor sign-in (which /api/admin requires); that session has passed it.
 */
export async function makeAdmin(t: TestApp) {
  const email = uniqueEmail('admin');
  const password = 'admin password 123';
  await t.deps.accounts.createAdmin(email, password);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
  });
  const json = res.json() as { user: { id: string }; token: string };
  const auth = { authorization: `Bearer ${json.token}` };
  const { secret } = await enrolTotp(t, auth);
  return { ...json, email, password, secret, auth };
}

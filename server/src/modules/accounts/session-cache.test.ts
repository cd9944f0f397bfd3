// A verified session is kept in memory (no database read per signed-in request), and every change
// to the user's row or sessions through the accounts service is seen by that token's next request.
// Each case uses the token once first (so its session is in memory), then makes the change, then
// asks again: without the invalidation the second answer would be the first one's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  enrolTotp,
  errorCode,
  makeAdmin,
  registerUser,
  uniqueEmail,
} from '../../../test/factories/index.ts';
import { createMemoryMailer, type MemoryMailer } from '../../platform/mail/memory-mailer.ts';
import { newId } from '../../shared/ids.ts';

let mailer: MemoryMailer;
let t: TestApp;
beforeAll(async () => {
  mailer = createMemoryMailer();
  t = await buildTestApp({ mailer });
});
afterAll(async () => t?.close());

type Auth = { authorization: string };
const bearer = (token: string): Auth => ({ authorization: `Bearer ${token}` });
const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  auth?: Auth,
  payload?: object,
) => t.app.inject({ method, url, headers: auth ?? {}, ...(payload ? { payload } : {}) });
const me = (auth: Auth) => call('GET', '/api/me', auth);
const login = async (email: string, password: string) =>
  bearer((await call('POST', '/api/auth/login', undefined, { email, password })).json().token);
const tokenOfLastMail = (to: string) =>
  /#token=([\w-]+)/.exec(mailer.sent.filter((m) => m.to === to).at(-1)!.text)![1]!;
/** Holding a listing needs a verified address: 403 EMAIL_NOT_VERIFIED, else 404 for no listing. */
const hold = (auth: Auth) => call('POST', '/api/orders', auth, { listingId: newId() });

describe('the session cache', () => {
  it('when a session row goes behind the service, then the token still works from memory until the service changes the user', async () => {
    const u = await registerUser(t);
    expect((await me(u.auth)).statusCode).toBe(200);
    await t.deps.db.deleteFrom('sessions').where('user_id', '=', u.user.id).execute();
    // No database read: the verified session came from memory.
    expect((await me(u.auth)).statusCode).toBe(200);
    expect((await call('PATCH', '/api/me', u.auth, { name: 'New Name' })).statusCode).toBe(200);
    expect((await me(u.auth)).statusCode).toBe(401);
  });

  it('when a user signs out, then the token is refused at once', async () => {
    const u = await registerUser(t);
    expect((await me(u.auth)).statusCode).toBe(200);
    expect((await call('POST', '/api/auth/logout', u.auth)).statusCode).toBe(204);
    expect((await me(u.auth)).statusCode).toBe(401);
  });

  it('when one session is ended from another, then its token is refused at once', async () => {
    const u = await registerUser(t);
    const phone = await login(u.user.email, u.password);
    expect((await me(phone)).statusCode).toBe(200);
    const { items } = (await call('GET', '/api/me/sessions', u.auth)).json() as {
      items: { id: string; current: boolean }[];
    };
    const other = items.find((s) => !s.current)!;
    expect((await call('DELETE', `/api/me/sessions/${other.id}`, u.auth)).statusCode).toBe(204);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(u.auth)).statusCode).toBe(200);
  });

  it('when the password is reset by e-mail, then every session is refused at once', async () => {
    const u = await registerUser(t);
    expect((await me(u.auth)).statusCode).toBe(200);
    await call('POST', '/api/auth/password-reset', undefined, { email: u.user.email });
    const res = await call('POST', '/api/auth/password-reset/confirm', undefined, {
      token: tokenOfLastMail(u.user.email),
      password: 'another horse battery',
    });
    expect(res.statusCode).toBe(204);
    expect((await me(u.auth)).statusCode).toBe(401);
  });

  it('when an administrator suspends a user, then their token is refused at once', async () => {
    const admin = await makeAdmin(t);
    const u = await registerUser(t);
    expect((await me(u.auth)).statusCode).toBe(200);
    const res = await call('POST', `/api/admin/users/${u.user.id}/suspend`, admin.auth, {
      suspended: true,
    });
    expect(res.statusCode).toBe(200);
    expect((await me(u.auth)).statusCode).toBe(401);
  });

  it('when a user closes their account, then the token is refused at once', async () => {
    const u = await registerUser(t);
    expect((await me(u.auth)).statusCode).toBe(200);
    const res = await call('DELETE', '/api/me', u.auth, { password: u.password });
    expect(res.statusCode).toBe(204);
    expect((await me(u.auth)).statusCode).toBe(401);
  });

  it('when the address is verified, then the same session may hold tickets at once', async () => {
    const u = await registerUser(t, { verified: false });
    expect(errorCode(await hold(u.auth))).toBe('EMAIL_NOT_VERIFIED');
    await call('POST', '/api/auth/verify-email/resend', u.auth);
    const res = await call('POST', '/api/auth/verify-email', undefined, {
      token: tokenOfLastMail(u.user.email),
    });
    expect(res.statusCode).toBe(200);
    expect(errorCode(await hold(u.auth))).toBe('NOT_FOUND');
  });

  it('when an account becomes an administrator and then turns on two-factor sign-in, then the same session sees each at once', async () => {
    const u = await registerUser(t);
    const admin = () => call('GET', '/api/admin/users?q=fan', u.auth);
    expect(errorCode(await admin())).toBe('FORBIDDEN');
    // What `npm run admin` does for an address that is already registered.
    await t.deps.accounts.createAdmin(u.user.email, 'admin password 123');
    expect(errorCode(await admin())).toBe('TOTP_REQUIRED');
    await enrolTotp(t, u.auth);
    expect((await admin()).statusCode).toBe(200);
  });

  it('when a token names a session that never existed, then it is refused every time', async () => {
    const u = await registerUser(t, { email: uniqueEmail('ghost') });
    const forged = await t.deps.tokens.issue(u.user.id, new Date());
    await t.deps.db.deleteFrom('sessions').where('id', '=', forged.claims.jti).execute();
    expect((await me(bearer(forged.token))).statusCode).toBe(401);
    expect((await me(bearer(forged.token))).statusCode).toBe(401);
  });
});

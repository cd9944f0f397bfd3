import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { makeAdmin, registerUser, uniqueEmail } from '../../../test/factories/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const errorCode = (res: { json(): unknown }) =>
  (res.json() as { error: { code: string } }).error.code;

describe('accounts', () => {
  it('when a fan registers, then they get a token and their profile', async () => {
    const email = uniqueEmail('Reg');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email, password: 'long enough pw', name: '阿明', favoriteTeamId: 'ACN011' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({
      email,
      name: '阿明',
      favoriteTeamId: 'ACN011',
      locale: 'zh-TW',
      role: 'user',
      ratingCount: 0,
      ratingAverage: null,
      emailNotifications: true,
    });
    expect(body.token).toMatch(/^ey/);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(body.user.id);
  });

  it('when the e-mail is taken in any letter case, then 409 EMAIL_TAKEN', async () => {
    const u = await registerUser(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: u.user.email.toUpperCase(), password: 'another password', name: 'x' },
    });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('EMAIL_TAKEN');
  });

  it('when fields are missing or malformed, then 400 VALIDATION_FAILED listing them', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'nope', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.requestId).toBeTruthy();
    const paths = body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.name']));
  });

  it('when the favourite team does not exist, then 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {
        email: uniqueEmail(),
        password: 'long enough pw',
        name: 'x',
        favoriteTeamId: 'NOPE',
      },
    });
    expect(res.statusCode).toBe(400);
  });

  it('when the body is not JSON at all, then 400 and never 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
  });

  it('when the password is wrong or the user unknown, then 401 INVALID_CREDENTIALS', async () => {
    const u = await registerUser(t);
    for (const payload of [
      { email: u.user.email, password: 'wrong password' },
      { email: uniqueEmail('ghost'), password: 'whatever123' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(res.statusCode).toBe(401);
      expect(errorCode(res)).toBe('INVALID_CREDENTIALS');
    }
  });

  it('when logging in, then an httpOnly session cookie and a CSRF cookie are set', async () => {
    const u = await registerUser(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.user.email, password: u.password },
    });
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'pas_session');
    const csrf = res.cookies.find((c) => c.name === 'pas_csrf');
    expect(session?.httpOnly).toBe(true);
    expect(csrf?.httpOnly).toBeFalsy();
    // The cookie authenticates safe requests ...
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      cookies: { pas_session: session!.value },
    });
    expect(me.statusCode).toBe(200);
    // ... but unsafe ones need the CSRF header too.
    const noCsrf = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      cookies: { pas_session: session!.value, pas_csrf: csrf!.value },
      payload: { name: 'x' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const withCsrf = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      cookies: { pas_session: session!.value, pas_csrf: csrf!.value },
      headers: { 'x-csrf-token': csrf!.value },
      payload: { name: 'New Name' },
    });
    expect(withCsrf.statusCode).toBe(200);
    expect(withCsrf.json().name).toBe('New Name');
  });

  it('when a user logs out, then the token no longer works', async () => {
    const u = await registerUser(t);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: u.auth });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: u.auth });
    expect(me.statusCode).toBe(401);
    expect(errorCode(me)).toBe('UNAUTHENTICATED');
  });

  it('when the token is forged, malformed or missing, then 401', async () => {
    const u = await registerUser(t);
    const [h, p] = u.token.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    for (const authorization of [
      `Bearer ${h}.${p}.AAAA`,
      `Bearer ${none}`,
      'Bearer x',
      'Basic abc',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  it('when the profile is updated, then the payout account comes back masked', async () => {
    const u = await registerUser(t);
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: u.auth,
      payload: {
        locale: 'en',
        emailNotifications: false,
        favoriteTeamId: 'AAA011',
        payoutAccount: { bankCode: '822', accountNumber: '123456789012' },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      locale: 'en',
      emailNotifications: false,
      favoriteTeamId: 'AAA011',
      payoutAccount: { bankCode: '822', accountMasked: '********9012' },
    });
    expect(res.body).not.toContain('123456789012');
  });

  it('when anyone views a public profile, then no e-mail is shown; unknown ids are 404', async () => {
    const u = await registerUser(t, { name: 'Seller Sam' });
    const res = await t.app.inject({ method: 'GET', url: `/api/users/${u.user.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: u.user.id,
      name: 'Seller Sam',
      ratingCount: 0,
      completedSales: 0,
      reviews: [],
    });
    expect(res.body).not.toContain(u.user.email);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/users/00000000000000000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect(errorCode(missing)).toBe('NOT_FOUND');
  });

  it('when a user is suspended, then they cannot log in and their token stops working', async () => {
    const u = await registerUser(t);
    await t.deps.accounts.setSuspended(u.user.id, true);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: u.auth })).statusCode,
    ).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.user.email, password: u.password },
    });
    expect(login.statusCode).toBe(403);
  });

  it('when an admin is created by the CLI path, then their role is admin', async () => {
    const a = await makeAdmin(t);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: a.auth });
    expect(me.json().role).toBe('admin');
  });
});

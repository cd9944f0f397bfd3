// Session tokens and cookies: forged, unsigned, expired, revoked and suspended users' tokens are
// refused; a cookie-authenticated unsafe request needs the CSRF header (double submit).
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.ts';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import { expectErrorShape } from './openapi-routes.ts';
import { makeAdmin, registerUser } from '../factories/index.ts';

const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

const me = (headers: Record<string, string>) =>
  t.app.inject({ method: 'GET', url: '/api/me', headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function sign(
  sub: string,
  options: { secret?: string; alg?: string; iat?: number; exp?: number; jti?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setJti(options.jti ?? newId())
    .setIssuedAt(options.iat ?? now)
    .setExpirationTime(options.exp ?? now + 3600)
    .sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}

const jtiOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;

function expectUnauthenticated(res: { statusCode: number; body: string }) {
  expect(res.statusCode, res.body).toBe(401);
  expect(expectErrorShape(res).error.code).toBe('UNAUTHENTICATED');
}

describe('bearer tokens', () => {
  it('when a token is signed with the server secret for a live session, then it works (control for the forgeries below)', async () => {
    const { user, token } = await registerUser(t);
    const res = await me(bearer(await sign(user.id, { jti: jtiOf(token) })));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().id).toBe(user.id);
  });

  it('when a well-signed token names no session (never issued, or revoked), then 401', async () => {
    const { user } = await registerUser(t);
    expectUnauthenticated(await me(bearer(await sign(user.id))));
  });

  it('when a token is signed with another secret, then 401', async () => {
    const { user, token } = await registerUser(t);
    const secret = 'another-secret-that-is-long-enough-xyz';
    expectUnauthenticated(await me(bearer(await sign(user.id, { secret, jti: jtiOf(token) }))));
  });

  it('when the payload of a valid token is changed to another user, then 401', async () => {
    const alice = await registerUser(t);
    const bob = await registerUser(t);
    const [header, , signature] = alice.token.split('.');
    const payload = JSON.parse(Buffer.from(alice.token.split('.')[1]!, 'base64url').toString());
    payload.sub = bob.user.id;
    const forged = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    expectUnauthenticated(await me(bearer(forged)));
  });

  it('when a token says alg none (unsigned), then 401', async () => {
    const { user } = await registerUser(t);
    const unsigned = new UnsecuredJWT({})
      .setSubject(user.id)
      .setJti(newId())
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    expectUnauthenticated(await me(bearer(unsigned)));
    // The same with a dangling signature part, and with "None" spelled differently.
    expectUnauthenticated(await me(bearer(`${unsigned}AAAA`)));
    const header = Buffer.from('{"alg":"None","typ":"JWT"}').toString('base64url');
    expectUnauthenticated(await me(bearer(`${header}.${unsigned.split('.')[1]}.`)));
  });

  it('when a token uses another HMAC algorithm with the right secret, then 401 (algorithm pinned)', async () => {
    const { user, token } = await registerUser(t);
    expectUnauthenticated(
      await me(bearer(await sign(user.id, { alg: 'HS512', jti: jtiOf(token) }))),
    );
  });

  it('when a token has expired, then 401', async () => {
    const { user, token } = await registerUser(t);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await sign(user.id, { iat: past - 60, exp: past, jti: jtiOf(token) });
    expectUnauthenticated(await me(bearer(expired)));
  });

  it('when a token names a user that does not exist, then 401', async () => {
    expectUnauthenticated(await me(bearer(await sign(newId()))));
  });

  it('when the user has logged out, then that token is refused and other sessions still work', async () => {
    const first = await registerUser(t);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: first.user.email, password: first.password },
    });
    const second = login.json().token as string;
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: first.auth,
    });
    expect(out.statusCode).toBe(204);
    expectUnauthenticated(await me(first.auth));
    expectUnauthenticated(
      await t.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: first.auth,
        payload: { name: 'Still me?' },
      }),
    );
    expect((await me(bearer(second))).statusCode).toBe(200);
  });

  it('when an admin suspends a user, then the user’s live token is refused and login is forbidden', async () => {
    const fan = await registerUser(t);
    const admin = await makeAdmin(t);
    expect((await me(fan.auth)).statusCode).toBe(200);
    const suspend = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${fan.user.id}/suspend`,
      headers: admin.auth,
      payload: { suspended: true },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    expectUnauthenticated(await me(fan.auth));
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: fan.user.email, password: fan.password },
    });
    expect(login.statusCode).toBe(403);
    expect(login.headers['set-cookie']).toBeUndefined();
  });

  it('when the Authorization header is malformed, then 401 and never a fall-back to the cookie', async () => {
    const fan = await registerUser(t);
    const session = await cookieLogin(fan.user.email, fan.password);
    for (const authorization of [
      'Bearer',
      'Basic Zm9vOmJhcg==',
      `Bearer ${fan.token} extra`,
      'x',
    ]) {
      expectUnauthenticated(await me({ authorization, cookie: session.cookie }));
    }
  });
});

async function cookieLogin(email: string, password: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
  });
  expect(res.statusCode).toBe(200);
  const session = res.cookies.find((c) => c.name === 'pas_session')!;
  const csrf = res.cookies.find((c) => c.name === 'pas_csrf')!;
  return {
    session,
    csrf,
    cookie: `pas_session=${session.value}; pas_csrf=${csrf.value}`,
  };
}

describe('session cookie and CSRF', () => {
  it('when logging in, then the session cookie is httpOnly and SameSite=Lax, and the CSRF cookie is readable', async () => {
    const fan = await registerUser(t);
    const { session, csrf } = await cookieLogin(fan.user.email, fan.password);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(csrf.httpOnly).toBeFalsy();
    expect(csrf.value.length).toBeGreaterThanOrEqual(32);
  });

  it('when a cookie-authenticated unsafe request lacks the CSRF header, then 403 and nothing changes', async () => {
    const fan = await registerUser(t, { name: 'Before' });
    const { cookie } = await cookieLogin(fan.user.email, fan.password);
    const patch = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: { cookie, ...headers },
        payload: { name: 'Hijacked' },
      });
    for (const headers of [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': '' }] as Record<
      string,
      string
    >[]) {
      const res = await patch(headers);
      expect(res.statusCode, res.body).toBe(403);
      expect(expectErrorShape(res).error.code).toBe('FORBIDDEN');
    }
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie },
    });
    expect(logout.statusCode).toBe(403);
    const read = await me({ cookie });
    expect(read.statusCode).toBe(200);
    expect(read.json().name).toBe('Before');
  });

  it('when the CSRF header matches the CSRF cookie, then the cookie-authenticated request works', async () => {
    const fan = await registerUser(t);
    const { cookie, csrf } = await cookieLogin(fan.user.email, fan.password);
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { cookie, 'x-csrf-token': csrf.value },
      payload: { name: 'Changed' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('Changed');
  });

  it('when the CSRF cookie is missing, then even a header value is refused', async () => {
    const fan = await registerUser(t);
    const { session, csrf } = await cookieLogin(fan.user.email, fan.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: { cookie: `pas_session=${session.value}`, 'x-csrf-token': csrf.value },
    });
    expect(res.statusCode).toBe(403);
  });

  it('when the session cookie holds a revoked token, then unsafe requests are 401, not served', async () => {
    const fan = await registerUser(t);
    const { cookie, csrf } = await cookieLogin(fan.user.email, fan.password);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-csrf-token': csrf.value },
    });
    expect(out.statusCode).toBe(204);
    expectUnauthenticated(await me({ cookie }));
    expectUnauthenticated(
      await t.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: { cookie, 'x-csrf-token': csrf.value },
        payload: { name: 'x' },
      }),
    );
  });
});

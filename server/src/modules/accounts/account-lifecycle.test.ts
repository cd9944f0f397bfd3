// The account lifecycle through the API (issue 17): sessions, e-mail verification, password
// reset, changing the password and the address, two-factor sign-in, names. E-mails are read
// from a memory mailer; links carry their token in the fragment (#token=…).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  enrolTotp,
  errorCode,
  makeAdmin,
  registerUser,
  signedInUser,
  totpCodeFor,
  uniqueEmail,
} from '../../../test/factories/index.ts';
import { createDatabase } from '../../platform/db/database.ts';
import { createMemoryMailer, type MemoryMailer } from '../../platform/mail/memory-mailer.ts';
import { HOUR, manualClock } from '../../shared/clock.ts';

const clock = manualClock(new Date('2026-06-01T04:00:00Z'));
let mailer: MemoryMailer;
let t: TestApp;
beforeAll(async () => {
  mailer = createMemoryMailer();
  t = await buildTestApp({ clock, mailer });
});
afterAll(async () => t?.close());

type Auth = { authorization: string };
const bearer = (token: string): Auth => ({ authorization: `Bearer ${token}` });
const me = (auth: Auth, app = t.app) =>
  app.inject({ method: 'GET', url: '/api/me', headers: auth });
const post = (url: string, payload: object = {}, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });

/** The newest e-mail to `to`, and the token of its link. */
function lastMailTo(to: string) {
  const mail = mailer.sent.filter((m) => m.to === to).at(-1);
  if (!mail) throw new Error(`no mail to ${to}`);
  const token = /#token=([\w-]+)/.exec(mail.text)?.[1] ?? null;
  return { ...mail, token };
}
const mailsTo = (to: string) => mailer.sent.filter((m) => m.to === to);

async function login(email: string, password: string, userAgent = 'vitest') {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    headers: { 'user-agent': userAgent },
    remoteAddress: '203.0.113.77',
  });
  return res;
}

/**
 * The token is refused on instance `b` within the bound another instance may lag: the sessions it
 * keeps in memory are forgotten when the invalidation's pub/sub message arrives (normally
 * milliseconds), at the latest after the 1 s it remembers a generation (docs/SECURITY.md).
 */
async function refusedOn(b: TestApp, token: string) {
  await expect
    .poll(async () => (await me(bearer(token), b.app)).statusCode, { timeout: 1_500, interval: 50 })
    .toBe(401);
}

async function anotherInstance() {
  // A second app on the same database (its own connection, its own process state). Instances
  // share Redis (MariaDB runs: this run's); on SQLite the two share the first one's memory cache.
  return buildTestApp({
    clock,
    mailer,
    database: createDatabase(t.config.database),
    sharedCache: t.config.redis ? undefined : { cache: t.deps.cache, pubsub: t.deps.pubsub },
  });
}

describe('sessions', () => {
  it('when a user signs in twice, then both sessions are listed with browser and network, the current one marked', async () => {
    const u = await registerUser(t);
    const second = await login(u.user.email, u.password, 'Mozilla/5.0 Firefox/140');
    expect(second.statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/me/sessions',
      headers: bearer(second.json().token),
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { current: boolean; userAgent: string; ip: string }[];
    expect(items).toHaveLength(2);
    const current = items.find((s) => s.current)!;
    expect(current).toMatchObject({ userAgent: 'Mozilla/5.0 Firefox/140', ip: '203.0.113.0' });
    expect(items.filter((s) => s.current)).toHaveLength(1);
  });

  it('when a user ends one of their sessions, then its token stops at once; another user’s id is 404', async () => {
    const u = await registerUser(t);
    const other = await login(u.user.email, u.password);
    const otherToken = other.json().token as string;
    const list = await t.app.inject({ method: 'GET', url: '/api/me/sessions', headers: u.auth });
    const target = (list.json().items as { id: string; current: boolean }[]).find(
      (s) => !s.current,
    )!;
    const stranger = await registerUser(t);
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/sessions/${target.id}`,
      headers: stranger.auth,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await me(bearer(otherToken))).statusCode).toBe(200);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/sessions/${target.id}`,
      headers: u.auth,
    });
    expect(del.statusCode).toBe(204);
    expect((await me(bearer(otherToken))).statusCode).toBe(401);
    expect((await me(u.auth)).statusCode).toBe(200);
  });

  it('when a session is revoked on one instance, then its token is refused on another at its next request', async () => {
    const b = await anotherInstance();
    try {
      const u = await registerUser(t);
      const phone = (await login(u.user.email, u.password)).json().token as string;
      expect((await me(bearer(phone), b.app)).statusCode).toBe(200);
      const res = await post('/api/me/sessions/revoke-others', {}, u.auth);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ revoked: 1 });
      await refusedOn(b, phone);
      expect((await me(u.auth, b.app)).statusCode).toBe(200);
    } finally {
      await b.close();
    }
  });

  it('when sessions have expired, then the scheduled clean-up deletes their rows and keeps live ones', async () => {
    const u = await registerUser(t);
    const count = async () =>
      (
        await t.deps.db
          .selectFrom('sessions')
          .select('id')
          .where('user_id', '=', u.user.id)
          .execute()
      ).length;
    expect(await count()).toBe(1);
    const job = t.deps.jobs.get('accounts.sessions-cleanup');
    expect(job).toBeDefined();
    await job!({}, { jobId: 'x', attempt: 1, requestId: null });
    expect(await count()).toBe(1);
    clock.advance(31 * 24 * HOUR);
    try {
      await job!({}, { jobId: 'y', attempt: 1, requestId: null });
      expect(await count()).toBe(0);
    } finally {
      clock.advance(-31 * 24 * HOUR);
    }
  });
});

describe('e-mail verification', () => {
  it('when a fan registers, then a verification link comes by mail and opening it verifies the address', async () => {
    const u = await registerUser(t, { verified: false, locale: 'en' });
    const mail = lastMailTo(u.user.email);
    expect(mail.subject).toBe('Please verify your e-mail address');
    expect(mail.text).toContain('http://localhost:3000/verify-email#token=');
    expect(mail.token!.length).toBeGreaterThanOrEqual(43); // 256 bits in base64url
    expect((await me(u.auth)).json().emailVerified).toBe(false);
    // Only a hash is stored.
    const rows = await t.deps.db
      .selectFrom('account_tokens')
      .selectAll()
      .where('user_id', '=', u.user.id)
      .execute();
    expect(JSON.stringify(rows)).not.toContain(mail.token);
    const res = await post('/api/auth/verify-email', { token: mail.token });
    expect(res.statusCode).toBe(200);
    expect(res.json().emailVerified).toBe(true);
    expect((await me(u.auth)).json().emailVerified).toBe(true);
    // Single use.
    const again = await post('/api/auth/verify-email', { token: mail.token });
    expect(again.statusCode).toBe(400);
    expect(errorCode(again)).toBe('INVALID_TOKEN');
  });

  it('when the address is not verified, then selling and checking out are 403 EMAIL_NOT_VERIFIED', async () => {
    const u = await registerUser(t, { verified: false });
    const sell = await post('/api/listings', { gameId: 'x' }, u.auth);
    expect(sell.statusCode).toBe(403);
    expect(errorCode(sell)).toBe('EMAIL_NOT_VERIFIED');
    const hold = await post('/api/orders', { listingId: '00000000000000000000000000' }, u.auth);
    expect(hold.statusCode).toBe(403);
    expect(errorCode(hold)).toBe('EMAIL_NOT_VERIFIED');
    // Browsing, reservations and in-site notifications still work.
    for (const url of ['/api/teams', '/api/me/reservations', '/api/notifications'])
      expect((await t.app.inject({ method: 'GET', url, headers: u.auth })).statusCode, url).toBe(
        200,
      );
  });

  it('when the link is older than 24 h or was replaced by a resend, then 400 INVALID_TOKEN', async () => {
    const u = await registerUser(t, { verified: false });
    const first = lastMailTo(u.user.email).token;
    const resend = await post('/api/auth/verify-email/resend', {}, u.auth);
    expect(resend.statusCode).toBe(204);
    expect(mailsTo(u.user.email)).toHaveLength(2);
    const second = lastMailTo(u.user.email).token;
    expect(second).not.toBe(first);
    const old = await post('/api/auth/verify-email', { token: first });
    expect(errorCode(old)).toBe('INVALID_TOKEN');
    clock.advance(24 * HOUR + 1000);
    try {
      const late = await post('/api/auth/verify-email', { token: second });
      expect(late.statusCode).toBe(400);
      expect(errorCode(late)).toBe('INVALID_TOKEN');
    } finally {
      clock.advance(-(24 * HOUR + 1000));
    }
    const bogus = await post('/api/auth/verify-email', { token: 'not-a-token' });
    expect(errorCode(bogus)).toBe('INVALID_TOKEN');
  });
});

describe('password reset', () => {
  it('when a reset is asked for an unknown and a known address, then the answers are the same and only the known one gets mail', async () => {
    const u = await registerUser(t);
    const ghost = uniqueEmail('ghost');
    const before = mailer.sent.length;
    const known = await post('/api/auth/password-reset', { email: u.user.email });
    const unknown = await post('/api/auth/password-reset', { email: ghost });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const headerNames = (r: typeof known) =>
      Object.keys(r.headers)
        .filter((h) => h !== 'x-request-id' && h !== 'date')
        .sort();
    expect(headerNames(known)).toEqual(headerNames(unknown));
    expect(known.headers['content-length']).toBe(unknown.headers['content-length']);
    expect(mailer.sent.length).toBe(before + 1);
    expect(lastMailTo(u.user.email).text).toContain('/reset-password#token=');
    expect(mailsTo(ghost)).toHaveLength(0);
  });

  it('when the reset link is used, then the new password works, every session ends, the user is told, and the link is spent', async () => {
    const u = await registerUser(t);
    const b = await anotherInstance();
    try {
      const other = (await login(u.user.email, u.password)).json().token as string;
      await post('/api/auth/password-reset', { email: u.user.email });
      const { token } = lastMailTo(u.user.email);
      const res = await post('/api/auth/password-reset/confirm', {
        token,
        password: 'brand new password',
      });
      expect(res.statusCode).toBe(204);
      expect((await me(u.auth)).statusCode).toBe(401);
      await refusedOn(b, other);
      expect(lastMailTo(u.user.email).subject).toBe('你的密碼已變更');
      expect((await login(u.user.email, u.password)).statusCode).toBe(401);
      expect((await login(u.user.email, 'brand new password')).statusCode).toBe(200);
      const reuse = await post('/api/auth/password-reset/confirm', {
        token,
        password: 'another new password',
      });
      expect(reuse.statusCode).toBe(400);
      expect(errorCode(reuse)).toBe('INVALID_TOKEN');
    } finally {
      await b.close();
    }
  });

  it('when a reset link is more than an hour old, then 400 INVALID_TOKEN', async () => {
    const u = await registerUser(t);
    await post('/api/auth/password-reset', { email: u.user.email });
    const { token } = lastMailTo(u.user.email);
    clock.advance(HOUR + 1000);
    try {
      const res = await post('/api/auth/password-reset/confirm', {
        token,
        password: 'brand new password',
      });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('INVALID_TOKEN');
    } finally {
      clock.advance(-(HOUR + 1000));
    }
  });

  it('when one address asks again and again, then after 3 links an hour it still answers 202 but sends nothing', async () => {
    const u = await registerUser(t);
    for (let i = 0; i < 5; i++) {
      const res = await post('/api/auth/password-reset', { email: u.user.email });
      expect(res.statusCode).toBe(202);
    }
    expect(mailsTo(u.user.email).filter((m) => m.text.includes('reset-password'))).toHaveLength(3);
  });
});

describe('changing the password and the e-mail address', () => {
  it('when the current password is wrong, then 401 INVALID_CREDENTIALS and nothing changes', async () => {
    const u = await registerUser(t);
    const res = await post(
      '/api/me/password',
      { currentPassword: 'not my password', newPassword: 'new long password' },
      u.auth,
    );
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('INVALID_CREDENTIALS');
    expect((await login(u.user.email, u.password)).statusCode).toBe(200);
  });

  it('when the password is changed, then other sessions end on another instance, this one stays, and the user is told', async () => {
    const b = await anotherInstance();
    try {
      const u = await registerUser(t);
      const laptop = (await login(u.user.email, u.password)).json().token as string;
      expect((await me(bearer(laptop), b.app)).statusCode).toBe(200);
      const res = await post(
        '/api/me/password',
        { currentPassword: u.password, newPassword: 'new long password' },
        u.auth,
      );
      expect(res.statusCode).toBe(204);
      await refusedOn(b, laptop);
      expect((await me(u.auth, b.app)).statusCode).toBe(200);
      expect(lastMailTo(u.user.email).subject).toBe('你的密碼已變更');
      expect((await login(u.user.email, 'new long password')).statusCode).toBe(200);
    } finally {
      await b.close();
    }
  });

  it('when the e-mail is changed, then nothing changes until the new address confirms, and the old one is told', async () => {
    const u = await registerUser(t);
    const newEmail = uniqueEmail('moved');
    const wrong = await post('/api/me/email', { newEmail, currentPassword: 'nope nope' }, u.auth);
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');
    const taken = await registerUser(t);
    const clash = await post(
      '/api/me/email',
      { newEmail: taken.user.email, currentPassword: u.password },
      u.auth,
    );
    expect(clash.statusCode).toBe(409);
    expect(errorCode(clash)).toBe('EMAIL_TAKEN');
    const res = await post('/api/me/email', { newEmail, currentPassword: u.password }, u.auth);
    expect(res.statusCode).toBe(202);
    expect((await me(u.auth)).json().email).toBe(u.user.email);
    const { token, text } = lastMailTo(newEmail);
    expect(text).toContain('/confirm-email#token=');
    const confirm = await post('/api/auth/change-email/confirm', { token });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json()).toMatchObject({ email: newEmail, emailVerified: true });
    expect(lastMailTo(u.user.email).subject).toBe('你的帳號電子郵件已變更');
    expect((await login(newEmail, u.password)).statusCode).toBe(200);
    expect((await login(u.user.email, u.password)).statusCode).toBe(401);
    const again = await post('/api/auth/change-email/confirm', { token });
    expect(errorCode(again)).toBe('INVALID_TOKEN');
  });
});

describe('two-factor sign-in (TOTP)', () => {
  it('when a user enrols, then setup gives a secret, a URI and an SVG QR code; a wrong first code is 401 INVALID_TOTP_CODE', async () => {
    const u = await registerUser(t);
    const setup = await post('/api/me/totp/setup', {}, u.auth);
    expect(setup.statusCode).toBe(200);
    const body = setup.json();
    expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Pitch-A-Seat:.+secret=[A-Z2-7]+/);
    expect(body.qrSvg).toMatch(/^<svg/);
    const wrong = await post('/api/me/totp/confirm', { code: '000000' }, u.auth);
    expect(wrong.statusCode).toBe(401);
    expect(errorCode(wrong)).toBe('INVALID_TOTP_CODE');
    const status = await t.app.inject({ method: 'GET', url: '/api/me/totp', headers: u.auth });
    expect(status.json()).toEqual({ enabled: false, recoveryCodesRemaining: 0 });
  });

  it('when TOTP is on, then sign-in asks for a code with a challenge, a code works once, a recovery code works once', async () => {
    const u = await registerUser(t);
    const { secret, recoveryCodes } = await enrolTotp(t, u.auth);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const first = await login(u.user.email, u.password);
    expect(first.statusCode).toBe(401);
    expect(errorCode(first)).toBe('TOTP_REQUIRED');
    expect(first.headers['set-cookie']).toBeUndefined();
    const challenge = first.json().error.details.challenge as string;
    // The challenge is no session token.
    expect((await me(bearer(challenge))).statusCode).toBe(401);
    const code = totpCodeFor(t, secret, 1);
    const ok = await post('/api/auth/login/totp', { challenge, code });
    expect(ok.statusCode).toBe(200);
    expect((await me(bearer(ok.json().token))).statusCode).toBe(200);
    const replay = await post('/api/auth/login/totp', { challenge, code });
    expect(replay.statusCode).toBe(401);
    expect(errorCode(replay)).toBe('INVALID_TOTP_CODE');
    const recovery = await post('/api/auth/login/totp', { challenge, code: recoveryCodes[0] });
    expect(recovery.statusCode).toBe(200);
    const recoveryAgain = await post('/api/auth/login/totp', {
      challenge,
      code: recoveryCodes[0],
    });
    expect(errorCode(recoveryAgain)).toBe('INVALID_TOTP_CODE');
    const status = await t.app.inject({ method: 'GET', url: '/api/me/totp', headers: u.auth });
    expect(status.json()).toEqual({ enabled: true, recoveryCodesRemaining: 9 });
    clock.advance(6 * 60_000);
    try {
      const late = await post('/api/auth/login/totp', {
        challenge,
        code: totpCodeFor(t, secret),
      });
      expect(errorCode(late)).toBe('INVALID_TOKEN');
    } finally {
      clock.advance(-6 * 60_000);
    }
  });

  it('when disabling, then both the password and a code are needed', async () => {
    const u = await registerUser(t);
    const { secret } = await enrolTotp(t, u.auth);
    const noPassword = await post(
      '/api/me/totp/disable',
      { password: 'wrong password', code: totpCodeFor(t, secret, 1) },
      u.auth,
    );
    expect(errorCode(noPassword)).toBe('INVALID_CREDENTIALS');
    const noCode = await post(
      '/api/me/totp/disable',
      { password: u.password, code: '123456' },
      u.auth,
    );
    expect(errorCode(noCode)).toBe('INVALID_TOTP_CODE');
    const ok = await post(
      '/api/me/totp/disable',
      { password: u.password, code: totpCodeFor(t, secret, 1) },
      u.auth,
    );
    expect(ok.statusCode).toBe(204);
    expect((await login(u.user.email, u.password)).statusCode).toBe(200);
  });

  it('when new recovery codes are made, then the old ones stop working', async () => {
    const u = await registerUser(t);
    const { secret, recoveryCodes } = await enrolTotp(t, u.auth);
    const res = await post(
      '/api/me/totp/recovery-codes',
      { code: totpCodeFor(t, secret, 1) },
      u.auth,
    );
    expect(res.statusCode).toBe(200);
    const challenge = (await login(u.user.email, u.password)).json().error.details.challenge;
    const old = await post('/api/auth/login/totp', { challenge, code: recoveryCodes[1] });
    expect(errorCode(old)).toBe('INVALID_TOTP_CODE');
    const fresh = await post('/api/auth/login/totp', {
      challenge,
      code: res.json().recoveryCodes[0],
    });
    expect(fresh.statusCode).toBe(200);
  });

  it('when an admin has not passed two-factor sign-in, then /api/admin is 403 TOTP_REQUIRED until they enrol', async () => {
    const email = uniqueEmail('admin');
    await t.deps.accounts.createAdmin(email, 'admin password 123');
    const res = await login(email, 'admin password 123');
    const auth = bearer(res.json().token);
    const denied = await t.app.inject({ method: 'GET', url: '/api/admin/orders', headers: auth });
    expect(denied.statusCode).toBe(403);
    expect(errorCode(denied)).toBe('TOTP_REQUIRED');
    await enrolTotp(t, auth);
    const allowed = await t.app.inject({ method: 'GET', url: '/api/admin/orders', headers: auth });
    expect(allowed.statusCode).toBe(200);
    // A fan is still plain FORBIDDEN.
    const fan = await signedInUser(t);
    const fanRes = await t.app.inject({
      method: 'GET',
      url: '/api/admin/orders',
      headers: fan.auth,
    });
    expect(errorCode(fanRes)).toBe('FORBIDDEN');
  });

  it('when an enrolled admin signs in with a code, then /api/admin works', async () => {
    const admin = await makeAdmin(t);
    const first = await login(admin.email, admin.password);
    expect(errorCode(first)).toBe('TOTP_REQUIRED');
    const ok = await post('/api/auth/login/totp', {
      challenge: first.json().error.details.challenge,
      code: totpCodeFor(t, admin.secret, 1),
    });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/admin/orders',
      headers: bearer(ok.json().token),
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('names that cannot impersonate', () => {
  it.each([
    ['a bidi override', 'abc\u202Edef'],
    ['a zero-width space', 'Sam\u200Bmy'],
    ['only spaces', '   '],
    ['客服', '官方客服小美'],
    ['admin', 'The Admin'],
    ['support', 'SUPPORT team'],
    ['the site name', 'Pitch-A-Seat 小幫手'],
    ['full-width letters', 'ａｄｍｉｎ'],
  ])('when a name has %s, then 400 VALIDATION_FAILED on body.name', async (_label, name) => {
    const res = await post('/api/auth/register', {
      email: uniqueEmail(),
      password: 'long enough pw',
      name,
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain('body.name');
  });

  it('when a profile update sets such a name, then 400 too; ordinary names pass', async () => {
    const u = await registerUser(t);
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: u.auth,
      payload: { name: '客服\u200D' },
    });
    expect(bad.statusCode).toBe(400);
    const good = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: u.auth,
      payload: { name: '林小姐 Lin' },
    });
    expect(good.statusCode).toBe(200);
  });
});

// Security headers on every kind of answer, HSTS only behind HTTPS, and passwords at rest.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import { registerUser } from '../factories/index.ts';

let http: TestApp;
let https: TestApp;
beforeAll(async () => {
  http = await buildTestApp();
  https = await buildTestApp({ env: { PUBLIC_URL: 'https://tickets.example.test' } });
});
afterAll(async () => {
  await http?.close();
  await https?.close();
});

describe('security headers', () => {
  it('when the API answers with data, an error or a 404, then CSP, nosniff and frame-ancestors none are set', async () => {
    for (const url of ['/api/teams', '/api/games/%', '/api/nope', '/api/me']) {
      const res = await http.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toMatch(/default-src '(self|none)'/);
      expect(csp, url).not.toContain("script-src 'self' 'unsafe-inline'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('when the web app and the API answer, then pages carry the document set and data the short one', async () => {
    const webDir = mkdtempSync(path.join(tmpdir(), 'pas-headers-'));
    mkdirSync(path.join(webDir, 'assets'));
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(webDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    const web = await buildApp(https.deps, { webDir });
    try {
      for (const url of ['/', '/games/some-game']) {
        const page = await web.inject({ method: 'GET', url });
        expect(page.headers['content-type'], url).toMatch(/^text\/html/);
        expect(page.headers['content-security-policy'], url).toContain(
          "script-src 'self' https://js.tappaysdk.com",
        );
        expect(page.headers['cross-origin-opener-policy'], url).toBe('same-origin');
        expect(page.headers['referrer-policy'], url).toBe('no-referrer');
        expect(page.headers['x-frame-options'], url).toBe('SAMEORIGIN');
        expect(page.headers['cache-control'], url).toBe('no-cache');
        expect(page.headers['strict-transport-security'], url).toMatch(/max-age=31536000/);
        expect(page.headers['x-request-id'], url).toBeTruthy();
      }
      const asset = await web.inject({ method: 'GET', url: '/assets/app-abc123.js' });
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.headers['x-content-type-options']).toBe('nosniff');

      const data = await web.inject({ method: 'GET', url: '/api/teams' });
      expect(data.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(data.headers['x-frame-options']).toBe('DENY');
      expect(data.headers['cache-control']).toBe('no-store');
      expect(data.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(data.headers['cross-origin-opener-policy']).toBeUndefined();
      expect(data.headers['x-request-id']).toBeTruthy();
    } finally {
      await web.close();
      rmSync(webDir, { recursive: true, force: true });
    }
  });

  it('when the public URL is plain HTTP, then no HSTS; behind HTTPS, then HSTS for a year', async () => {
    const plain = await http.app.inject({ method: 'GET', url: '/api/teams' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const secure = await https.app.inject({ method: 'GET', url: '/api/teams' });
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=31536000/);
  });

  it('when logging in behind HTTPS, then the session cookies are Secure', async () => {
    const fan = await registerUser(https);
    const login = await https.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: fan.user.email, password: fan.password },
    });
    for (const cookie of login.cookies.filter((c) => c.name.startsWith('pas_')))
      expect(cookie.secure, cookie.name).toBe(true);
  });
});

describe('passwords at rest', () => {
  it('when a user registers, then only an argon2id hash of the password is stored', async () => {
    const fan = await registerUser(http, { password: 'plain text never stored 42' });
    const row = await http.deps.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', fan.user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(row.password_hash).not.toContain('plain text');
  });
});

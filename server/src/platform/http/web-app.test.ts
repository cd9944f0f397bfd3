// Which page the server sends: index.html (with the home hero) at `/`, app.html elsewhere and to
// English readers; older builds without app.html still work.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';

const HOME = '<!doctype html><main id="main"><section class="hero">home</section></main>';
const SHELL = '<!doctype html><main id="main"></main>';

let t: TestApp;
const dirs: string[] = [];
const apps: Awaited<ReturnType<typeof buildApp>>[] = [];

async function serve(files: Record<string, string | Buffer>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pas-web-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'assets'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  const app = await buildApp(t.deps, { webDir: dir });
  await app.ready();
  apps.push(app);
  return app;
}

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await t.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('web app pages', () => {
  it('when / is asked for, then index.html with the home hero is sent, revalidated', async () => {
    const web = await serve({ 'index.html': HOME, 'app.html': SHELL });
    const res = await web.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.vary).toMatch(/cookie/);
    expect(res.body).toBe(HOME);
  });

  it('when / is asked for with a query, then it is still the home page', async () => {
    const web = await serve({ 'index.html': HOME, 'app.html': SHELL });
    const res = await web.inject({ method: 'GET', url: '/?day=2026-11-28&team=t1' });
    expect(res.body).toBe(HOME);
  });

  it('when a reader chose English, then / sends the shell without the zh-TW hero', async () => {
    const web = await serve({ 'index.html': HOME, 'app.html': SHELL });
    const res = await web.inject({
      method: 'GET',
      url: '/',
      headers: { cookie: 'pas_session=x; pas_lang=en' },
    });
    expect(res.body).toBe(SHELL);
    const zh = await web.inject({ method: 'GET', url: '/', headers: { cookie: 'pas_lang=zh-TW' } });
    expect(zh.body).toBe(HOME);
  });

  it('when another page path is asked for, then the shell is sent (SPA fallback)', async () => {
    const web = await serve({ 'index.html': HOME, 'app.html': SHELL });
    const res = await web.inject({ method: 'GET', url: '/games/g1?sort=price' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe(SHELL);
  });

  it('when the page is asked for with brotli accepted, then its pre-compressed copy is sent', async () => {
    const web = await serve({
      'index.html': HOME,
      'index.html.br': brotliCompressSync(HOME),
      'app.html': SHELL,
    });
    const res = await web.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br' } });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toMatch(/accept-encoding/);
    expect(res.headers.vary).toMatch(/cookie/);
  });

  it('when the build has no app.html (older builds), then index.html serves every page', async () => {
    const web = await serve({ 'index.html': SHELL });
    expect((await web.inject({ method: 'GET', url: '/' })).body).toBe(SHELL);
    expect((await web.inject({ method: 'GET', url: '/me/orders' })).body).toBe(SHELL);
  });
});

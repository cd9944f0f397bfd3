// The built web app is served at / with an SPA fallback; API paths keep their JSON 404.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';

let t: TestApp;
let web: Awaited<ReturnType<typeof buildApp>>;
let webDir: string;

beforeAll(async () => {
  t = await buildTestApp();
  webDir = mkdtempSync(path.join(tmpdir(), 'pas-web-'));
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
  const js = 'console.log("hello from the web app");'.repeat(50);
  writeFileSync(path.join(webDir, 'assets', 'app-abc123.js'), js);
  writeFileSync(path.join(webDir, 'assets', 'app-abc123.js.gz'), gzipSync(js));
  web = await buildApp(t.deps, { webDir });
  await web.ready();
});
afterAll(async () => {
  await web.close();
  await t.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe('web app serving', () => {
  it('when a page path is not a file, then index.html is served (SPA fallback)', async () => {
    const res = await web.inject({ method: 'GET', url: '/games/anything?x=1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('id="root"');
  });

  it('when a page path is asked for with HEAD (link checkers, monitors), then it is the page without a body', async () => {
    const res = await web.inject({ method: 'HEAD', url: '/games/anything' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toBe('');
    const api = await web.inject({ method: 'HEAD', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
  });

  it('when an unknown API path is asked for, then the JSON 404 error answers', async () => {
    const res = await web.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('when a hashed asset is asked for with gzip accepted, then the pre-compressed file is sent', async () => {
    const res = await web.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toContain('immutable');
  });
});

// Smaller hardening of issue 16 item 8: slow requests are cut off, DATA_DIR is private to the
// server's user, and /metrics answers only loopback, a configured network or a bearer token.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../build-test-app.ts';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('slow requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('when a client sends a request body slowly, then the server gives it at most 60 s (requestTimeout is set)', () => {
    expect(t.app.server.requestTimeout).toBeGreaterThanOrEqual(30_000);
    expect(t.app.server.requestTimeout).toBeLessThanOrEqual(60_000);
  });
});

describe('DATA_DIR permissions', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pas-perm-'));
  let t: TestApp;
  beforeAll(async () => {
    // As an older version (or a default umask) left it: a world-readable directory and files.
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'tappay-simulator.jsonl'), '', { mode: 0o644 });
    chmodSync(path.join(dir, 'tappay-simulator.jsonl'), 0o644);
    mkdirSync(path.join(dir, 'outbox'), { mode: 0o755 });
    chmodSync(path.join(dir, 'outbox'), 0o755);
    t = await buildTestApp({ env: { DATA_DIR: dir, MAIL_TRANSPORT: 'file' } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the server starts, then DATA_DIR is 0700 and the files in it 0600', () => {
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(dir, 'tappay-simulator.jsonl'))).toBe(0o600);
    expect(modeOf(path.join(dir, 'outbox'))).toBe(0o700);
    if (!usingMysql()) expect(modeOf(path.join(dir, 'pitch-a-seat.sqlite'))).toBe(0o600);
  });

  it('when an e-mail goes to the file outbox, then its file is 0600', async () => {
    await t.deps.mailer.send({
      to: 'fan@example.test',
      subject: 'Your order',
      text: '王小明, your order is paid',
      html: '<p>王小明, your order is paid</p>',
    });
    const outbox = path.join(dir, 'outbox');
    const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    expect(modeOf(path.join(outbox, files[0]!))).toBe(0o600);
  });
});

describe('/metrics', () => {
  const token = 'metrics-token-that-is-long-enough-0123456789';
  let t: TestApp;
  let open: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { METRICS_TOKEN: token, TRUST_PROXY: '198.51.100.7' } });
    open = await buildTestApp({ env: { METRICS_ALLOW: '127.0.0.1,203.0.113.0/24' } });
  });
  afterAll(async () => {
    await open.close();
    await t.close();
  });

  const scrape = (app: TestApp, remoteAddress: string, headers: Record<string, string> = {}) =>
    app.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });

  it('when scraped from loopback, then it answers', async () => {
    expect((await scrape(t, '127.0.0.1')).statusCode).toBe(200);
    expect((await scrape(t, '::1')).statusCode).toBe(200);
    expect((await scrape(t, '::ffff:127.0.0.1')).statusCode).toBe(200);
  });

  it('when scraped from the internet, then 404 — also with a forged X-Forwarded-For or a wrong token', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'x-forwarded-for': '127.0.0.1' },
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${token}x` },
    ]) {
      const res = await scrape(t, '198.51.100.7', headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(404);
      expect(res.body).not.toContain('http_request_duration');
    }
  });

  it('when scraped with the bearer token, then it answers from anywhere', async () => {
    const res = await scrape(t, '198.51.100.7', { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('process_');
  });

  it('when METRICS_ALLOW names a network, then its addresses may scrape and others may not', async () => {
    expect((await scrape(open, '203.0.113.40')).statusCode).toBe(200);
    expect((await scrape(open, '198.51.100.7')).statusCode).toBe(404);
  });
});

// The access log (LOG_REQUESTS): one line per request with method, route, url, status, duration,
// request id and user id; the error code on error answers; levels by status; `errors` keeps only
// 4xx/5xx lines and `off` none. And request.log, built lazily, still logs with the request id.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REDACTED_LOG_PATHS } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { buildTestApp } from '../../../test/build-test-app.ts';
import { signedInUser } from '../../../test/factories/index.ts';
import { lazyChildLoggerFactory } from './access-log.ts';

type Line = Record<string, unknown>;

/** A pino logger as main.ts builds it (redaction included), writing into `lines`. */
function capture() {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const logger = pino(
    { level: 'info', redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
    sink,
  );
  return { logger, lines };
}

async function appLogging(
  mode: 'all' | 'errors' | 'off' | undefined,
  env: Record<string, string> = {},
) {
  const { logger, lines } = capture();
  const t = await buildTestApp({
    loggerInstance: logger,
    env: { ...(mode ? { LOG_REQUESTS: mode } : {}), ...env },
  });
  /** The lines of one request (by its x-request-id); pino's stream writes after a tick. */
  const linesOf = async (requestId: string) => {
    await new Promise((r) => setImmediate(r));
    return lines.filter((l) => l.requestId === requestId);
  };
  return { t, lines, linesOf };
}

describe('access log, LOG_REQUESTS unset (all)', () => {
  let s: Awaited<ReturnType<typeof appLogging>>;
  beforeAll(async () => {
    s = await appLogging(undefined);
  });
  afterAll(async () => s?.t.close());

  it('when LOG_REQUESTS is not set, then it is "all"', () => {
    expect(loadConfig({}).logRequests).toBe('all');
    expect(() => loadConfig({ LOG_REQUESTS: 'some' })).toThrow(/LOG_REQUESTS/);
  });

  it('when an anonymous read succeeds, then exactly one info line holds its method, route, url, status, duration and request id', async () => {
    const res = await s.t.app.inject({ method: 'GET', url: '/api/teams?x=1' });
    expect(res.statusCode).toBe(200);
    const id = res.headers['x-request-id'] as string;
    const mine = await s.linesOf(id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      level: 30,
      msg: 'request',
      requestId: id,
      method: 'GET',
      route: '/api/teams',
      url: '/api/teams?x=1',
      status: 200,
    });
    expect(mine[0]).not.toHaveProperty('sample');
    expect(typeof mine[0]!.ms).toBe('number');
    expect(mine[0]).not.toHaveProperty('userId');
    expect(mine[0]).not.toHaveProperty('code');
  });

  it('when a signed-in request is answered, then its line carries the user id', async () => {
    const user = await signedInUser(s.t);
    const res = await s.t.app.inject({ method: 'GET', url: '/api/me', headers: user.auth });
    expect(res.statusCode).toBe(200);
    const [line] = await s.linesOf(res.headers['x-request-id'] as string);
    expect(line).toMatchObject({ route: '/api/me', status: 200, userId: user.id });
  });

  it('when a request fails with a 4xx, then its one line is at info and carries the error code', async () => {
    const res = await s.t.app.inject({ method: 'GET', url: '/api/listings/no-such-listing' });
    expect(res.statusCode).toBe(404);
    const mine = await s.linesOf(res.headers['x-request-id'] as string);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      level: 30,
      route: '/api/listings/:id',
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('when no route matches, then the line has no route and the 404 code', async () => {
    const res = await s.t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    const [line] = await s.linesOf(res.headers['x-request-id'] as string);
    expect(line).toMatchObject({ url: '/api/nothing-here', status: 404, code: 'NOT_FOUND' });
    expect(line!.route ?? null).toBeNull();
  });

  it('when an answer is a 5xx, then its line is at error level', async () => {
    s.t.deps.beginShutdown(); // /readyz answers 503 from now on (last test of this app)
    const res = await s.t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const [line] = await s.linesOf(res.headers['x-request-id'] as string);
    expect(line).toMatchObject({ level: 50, status: 503, code: 'SERVICE_UNAVAILABLE' });
  });
});

describe('access log, the public cached answers sampled (LOG_SAMPLE_CACHED)', () => {
  let s: Awaited<ReturnType<typeof appLogging>>;
  beforeAll(async () => {
    s = await appLogging(undefined, { LOG_SAMPLE_CACHED: '3' });
  });
  afterAll(async () => s?.t.close());

  it('when LOG_SAMPLE_CACHED is not set, then one public cached answer in 10 is logged', () => {
    expect(loadConfig({}).logSampleCached).toBe(10);
    expect(() => loadConfig({ LOG_SAMPLE_CACHED: '0' })).toThrow(/LOG_SAMPLE_CACHED/);
  });

  it('when six public cached reads succeed (200s and 304s), then two lines say sample 3; an error and a non-public read each have theirs', async () => {
    const ids: string[] = [];
    const first = await s.t.app.inject({ method: 'GET', url: '/api/trending' });
    expect(first.headers['cache-control']).toMatch(/^public/);
    ids.push(first.headers['x-request-id'] as string);
    for (let i = 0; i < 5; i++) {
      const res = await s.t.app.inject({
        method: 'GET',
        url: '/api/trending',
        headers: i % 2 ? { 'if-none-match': first.headers.etag as string } : {},
      });
      expect([200, 304]).toContain(res.statusCode);
      ids.push(res.headers['x-request-id'] as string);
    }
    const missing = await s.t.app.inject({ method: 'GET', url: '/api/games/nope' });
    const teams = await s.t.app.inject({ method: 'GET', url: '/api/teams' });
    await new Promise((r) => setImmediate(r));
    const sampled = s.lines.filter((l) => ids.includes(l.requestId as string));
    expect(sampled).toHaveLength(2);
    for (const line of sampled) expect(line).toMatchObject({ route: '/api/trending', sample: 3 });
    expect(await s.linesOf(missing.headers['x-request-id'] as string)).toHaveLength(1);
    const [teamsLine] = await s.linesOf(teams.headers['x-request-id'] as string);
    expect(teamsLine).not.toHaveProperty('sample');
  });
});

describe('access log, LOG_REQUESTS=errors', () => {
  let s: Awaited<ReturnType<typeof appLogging>>;
  beforeAll(async () => {
    s = await appLogging('errors');
  });
  afterAll(async () => s?.t.close());

  it('when a request succeeds, then nothing is logged for it', async () => {
    const res = await s.t.app.inject({ method: 'GET', url: '/api/stats' });
    expect(res.statusCode).toBe(200);
    expect(await s.linesOf(res.headers['x-request-id'] as string)).toEqual([]);
  });

  it('when a request fails, then its line is written', async () => {
    const res = await s.t.app.inject({ method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(401);
    const mine = await s.linesOf(res.headers['x-request-id'] as string);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ level: 30, status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe('access log, LOG_REQUESTS=off', () => {
  let s: Awaited<ReturnType<typeof appLogging>>;
  beforeAll(async () => {
    s = await appLogging('off');
  });
  afterAll(async () => s?.t.close());

  it('when requests succeed or fail, then no request line is written', async () => {
    const ok = await s.t.app.inject({ method: 'GET', url: '/api/stats' });
    const failed = await s.t.app.inject({ method: 'GET', url: '/api/me' });
    expect([ok.statusCode, failed.statusCode]).toEqual([200, 401]);
    await new Promise((r) => setImmediate(r));
    expect(s.lines.filter((l) => l.msg === 'request')).toEqual([]);
  });
});

describe('request.log', () => {
  it('when a request logs through request.log, then the line carries its request id and redaction', () => {
    const { logger, lines } = capture();
    const log = lazyChildLoggerFactory(logger, { requestId: 'req-1' }, {});
    log.warn({ password: 'hunter2', detail: 'x' }, 'something odd');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      requestId: 'req-1',
      password: '[redacted]',
      msg: 'something odd',
    });
  });

  it('when a request never logs at an enabled level, then no child logger is built for it', () => {
    const { logger, lines } = capture();
    const child = vi.spyOn(logger, 'child');
    const log = lazyChildLoggerFactory(logger, { requestId: 'req-2' }, {});
    log.debug('below the level');
    log.trace('below the level');
    expect(child).not.toHaveBeenCalled();
    expect(log.level).toBe('info');
    log.info('now it logs');
    expect(child).toHaveBeenCalledTimes(1);
    log.error('and again');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['now it logs', 'req-2'],
      ['and again', 'req-2'],
    ]);
  });
});

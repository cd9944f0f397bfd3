// 405 with Allow for a known path asked with another method (issue 26 item 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('methods a path does not take', () => {
  it('when a known path is asked with another method, then 405 METHOD_NOT_ALLOWED names the allowed ones in Allow', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/listings/abc123' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
    expect(res.json()).toMatchObject({
      error: { code: 'METHOD_NOT_ALLOWED' },
      requestId: expect.any(String),
    });
    const teams = await t.app.inject({ method: 'POST', url: '/api/teams?x=1', payload: {} });
    expect(teams.statusCode).toBe(405);
    expect(teams.headers.allow).toBe('GET, HEAD');
  });

  it('when the path is unknown, then 404 NOT_FOUND without Allow, whatever the method and body', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const res = await t.app.inject({ method, url: '/api/no-such-thing', payload: 'x' });
      expect(res.statusCode).toBe(404);
      expect(res.headers.allow).toBeUndefined();
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('when QUERY comes without a Content-Type, then a known path answers 405 and an unknown one 404 (no Content-Type complaint)', async () => {
    const known = await t.app.inject({ method: 'QUERY', url: '/api/games' });
    expect(known.statusCode).toBe(405);
    expect(known.headers.allow).toBe('GET, HEAD');
    const unknown = await t.app.inject({ method: 'QUERY', url: '/api/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
  });

  it('when the method is right, then the route answers as before', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/teams' });
    expect(res.statusCode).toBe(200);
    expect(res.headers.allow).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError, readCookie, toApiError, withQuery } from './client.ts';

describe('API client', () => {
  it('when an error body arrives, then it becomes a typed ApiError with code and request id', () => {
    const err = toApiError(422, {
      error: { code: 'PRICE_ABOVE_FACE_VALUE', message: 'too high', details: { max: 1200 } },
      requestId: 'req-1',
    });
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 422,
      code: 'PRICE_ABOVE_FACE_VALUE',
      message: 'too high',
      details: { max: 1200 },
      requestId: 'req-1',
    });
  });

  it('when the body is not the error shape, then the status decides the code', () => {
    expect(toApiError(404, '<html>').code).toBe('NOT_FOUND');
    expect(toApiError(502, undefined).code).toBe('INTERNAL');
    expect(toApiError(429, null).code).toBe('RATE_LIMITED');
  });

  it('when the CSRF cookie is set, then it is read by name', () => {
    expect(readCookie('pas_csrf', 'a=1; pas_csrf=abc%2Bdef; b=2')).toBe('abc+def');
    expect(readCookie('pas_csrf', 'pas_session=x')).toBeNull();
  });

  it('when a query has empty values, then they are left out', () => {
    expect(withQuery('/api/games', { from: '2026-11-01', teamId: undefined, q: '' })).toBe(
      '/api/games?from=2026-11-01',
    );
    expect(withQuery('/api/x?a=1', { b: 2 })).toBe('/api/x?a=1&b=2');
  });
});

import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.ts';

describe('safeNext (where login and register go afterwards)', () => {
  it('when next is a path of this site, then it is kept with its query and hash', () => {
    expect(safeNext('/me/orders')).toBe('/me/orders');
    expect(safeNext('/listings/abc?x=1#pay')).toBe('/listings/abc?x=1#pay');
  });

  it('when next would leave the site or cannot be followed, then it falls back to /', () => {
    for (const next of [
      null,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
    ]) {
      expect(safeNext(next), String(next)).toBe('/');
    }
  });
});

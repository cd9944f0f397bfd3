// @vitest-environment jsdom
// Error messages speak the reader's words: a refused field by its label, never the API's name
// for it, and a purchase limit by the one rule that refused (issue 21 item 6).
import { cleanup, render } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import '../i18n/index.ts';
import { ErrorNotice } from './error-notice.tsx';

const text = (error: unknown) => render(h(ErrorNotice, { error })).container.textContent ?? '';
afterEach(cleanup);

describe('error notice', () => {
  it('when a query field is refused, then the message names its label, not "minPrice"', () => {
    const err = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
      { path: 'querystring.minPrice', message: 'minPrice must not exceed maxPrice' },
    ]);
    const shown = text(err);
    expect(shown).not.toContain('minPrice');
    expect(shown).toContain('最低價格');
  });

  it('when a field has no label, then it is left out rather than shown raw', () => {
    const err = new ApiError(400, 'VALIDATION_FAILED', 'bad', [{ path: 'body.weird_thing' }]);
    expect(text(err)).not.toContain('weird_thing');
  });

  it('when the purchase limit refuses by unpaid orders, then only that rule is named', () => {
    const shown = text(new ApiError(422, 'PURCHASE_LIMIT', 'x', { limit: 2, unpaid: 2 }));
    expect(shown).toContain('2 筆還沒付款');
    expect(shown).not.toContain('8');
  });

  it('when the purchase limit refuses by tickets per game, then it says how many', () => {
    const shown = text(
      new ApiError(422, 'PURCHASE_LIMIT', 'x', { limit: 8, held: 6, requested: 4 }),
    );
    expect(shown).toContain('最多買 8 張');
    expect(shown).toContain('6 張');
    expect(shown).not.toContain('未付款訂單');
  });
});

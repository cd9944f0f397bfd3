import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/contracts/vocabulary.ts';
import { ApiError } from '../api/client.ts';
import en from '../i18n/en.json' with { type: 'json' };
import zhTW from '../i18n/zh-TW.json' with { type: 'json' };
import { errorKey, invalidFields } from './errors.ts';

describe('error messages', () => {
  it('when the API answers a known code, then its plain-language message key is used', () => {
    expect(errorKey(new ApiError(409, 'LISTING_UNAVAILABLE', 'taken'))).toBe(
      'errors.LISTING_UNAVAILABLE',
    );
  });

  it('when the code is unknown or the error is not from the API, then a generic message is used', () => {
    expect(errorKey(new ApiError(418, 'TEAPOT', 'no'))).toBe('errors.UNKNOWN');
    expect(errorKey(new Error('boom'))).toBe('errors.UNKNOWN');
  });

  it('when the API can answer an error code, then both languages have a message for it', () => {
    // The server's own list, not a copy: a code added there without a message fails here.
    for (const code of [...ERROR_CODES, 'NETWORK', 'UNKNOWN']) {
      expect(zhTW.errors, code).toHaveProperty(code);
      expect(en.errors, code).toHaveProperty(code);
    }
  });

  it('when any code of the API comes back, then its own message is shown, not the generic one', () => {
    for (const code of ERROR_CODES) {
      expect(errorKey(new ApiError(409, code, 'x'))).toBe(`errors.${code}`);
    }
    expect(errorKey(new ApiError(0, 'NETWORK', 'offline'))).toBe('errors.NETWORK');
  });

  it('when validation fails, then the fields the server names are listed', () => {
    const err = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
      { path: 'body.price', message: 'too big' },
      { path: ['faceValue'], message: 'missing' },
    ]);
    expect(invalidFields(err)).toEqual(['price', 'faceValue']);
    expect(invalidFields(new ApiError(409, 'INVALID_STATE', 'no'))).toEqual([]);
  });
});

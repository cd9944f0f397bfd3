// The TapPay SDK's script tag: a pinned version with its Subresource Integrity hash.
import { describe, expect, it } from 'vitest';
import { TAPPAY_SDK, tapPayScriptAttributes } from './tappay.ts';

describe('TapPay SDK script', () => {
  it('when the SDK is loaded, then the tag pins a v5 version with an SRI hash and CORS', () => {
    const attrs = tapPayScriptAttributes();
    expect(attrs.src).toBe(`https://js.tappaysdk.com/sdk/tpdirect/${TAPPAY_SDK.version}`);
    expect(TAPPAY_SDK.version).toMatch(/^v5\.(\d+)\.\d+$/);
    expect(Number(TAPPAY_SDK.version.split('.')[1])).toBeGreaterThanOrEqual(20);
    expect(attrs.integrity).toMatch(/^sha(256|384|512)-[A-Za-z0-9+/]{43,}={0,2}$/);
    expect(attrs.crossOrigin).toBe('anonymous');
  });
});

// Configuration rules of the TapPay integration: startup is refused when TapPay could not reach
// us, and 3-D Secure is on unless switched off.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const tappay = {
  PAYMENT_PROVIDER: 'tappay',
  TAPPAY_PARTNER_KEY: 'partner_x',
  TAPPAY_MERCHANT_ID: 'merchant_x',
  TAPPAY_APP_ID: '1',
  TAPPAY_APP_KEY: 'app_x',
};

describe('PUBLIC_URL with PAYMENT_PROVIDER=tappay', () => {
  it('when PUBLIC_URL is http, missing or not on port 443, then startup is refused with a clear message', () => {
    for (const PUBLIC_URL of [
      'http://tickets.example.test',
      undefined,
      'https://tickets.example.test:8443',
    ]) {
      expect(() => loadConfig({ ...tappay, PUBLIC_URL }), String(PUBLIC_URL)).toThrow(ConfigError);
      expect(() => loadConfig({ ...tappay, PUBLIC_URL })).toThrow(
        /PUBLIC_URL: must be an https:\/\/ URL on port 443 when PAYMENT_PROVIDER=tappay/,
      );
    }
  });

  it('when PUBLIC_URL is https on 443, then it starts; the simulator accepts any PUBLIC_URL', () => {
    for (const PUBLIC_URL of ['https://tickets.example.test', 'https://tickets.example.test:443/'])
      expect(loadConfig({ ...tappay, PUBLIC_URL }).payments.provider).toBe('tappay');
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).payments.provider).toBe('simulator');
  });
});

describe('TAPPAY_THREE_DOMAIN_SECURE', () => {
  it('when unset, then 3-D Secure is on; false switches it off; anything else is refused', () => {
    const base = { ...tappay, PUBLIC_URL: 'https://tickets.example.test' };
    expect(loadConfig(base).payments.threeDomainSecure).toBe(true);
    expect(loadConfig({}).payments.threeDomainSecure).toBe(true);
    expect(
      loadConfig({ ...base, TAPPAY_THREE_DOMAIN_SECURE: 'false' }).payments.threeDomainSecure,
    ).toBe(false);
    expect(() => loadConfig({ ...base, TAPPAY_THREE_DOMAIN_SECURE: 'off' })).toThrow(
      /TAPPAY_THREE_DOMAIN_SECURE/,
    );
  });
});

describe('HTTP_ACCEPTORS', () => {
  it('when unset, then one listening socket in development and eight in production; 1-32 when set', () => {
    expect(loadConfig({}).http.acceptors).toBe(1);
    expect(loadConfig({ NODE_ENV: 'production' }).http.acceptors).toBe(8);
    expect(loadConfig({ NODE_ENV: 'production', HTTP_ACCEPTORS: '1' }).http.acceptors).toBe(1);
    expect(loadConfig({ HTTP_ACCEPTORS: '4' }).http.acceptors).toBe(4);
    for (const HTTP_ACCEPTORS of ['0', '33', 'many'])
      expect(() => loadConfig({ HTTP_ACCEPTORS }), HTTP_ACCEPTORS).toThrow(ConfigError);
  });
});

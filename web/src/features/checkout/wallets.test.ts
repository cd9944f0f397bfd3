// Which wallet buttons appear: only the merchant's (TAPPAY_WALLETS), and Apple Pay / Google Pay
// only where the browser can pay with them; and which simulator prime each one sends.
import { describe, expect, it } from 'vitest';
import {
  detectBrowser,
  simulatorWalletPrime,
  tapPayWalletPrime,
  usableWallets,
  WalletCancelled,
} from './wallets.ts';
import type { TPDirectApi } from './tappay.ts';

const all = ['googlepay', 'applepay', 'jkopay', 'linepay'] as const;

describe('wallet buttons', () => {
  it('when the merchant offers no wallets, then none appear, whatever the browser can do', () => {
    expect(usableWallets([], { applePay: true, paymentRequest: true })).toEqual([]);
  });

  it('when a browser has neither Apple Pay nor the Payment Request API, then only LINE Pay and JKO Pay appear, in a fixed order', () => {
    expect(usableWallets(all, { applePay: false, paymentRequest: false })).toEqual([
      'linepay',
      'jkopay',
    ]);
  });

  it('when Safari can make Apple Pay payments, then Apple Pay appears; Google Pay needs the Payment Request API', () => {
    expect(usableWallets(all, { applePay: true, paymentRequest: false })).toEqual([
      'linepay',
      'jkopay',
      'applepay',
    ]);
    expect(
      usableWallets(['googlepay', 'linepay'], { applePay: false, paymentRequest: true }),
    ).toEqual(['linepay', 'googlepay']);
  });

  it('when detecting, then ApplePaySession.canMakePayments() decides Apple Pay, and a throwing one means no', () => {
    const base = { PaymentRequest: undefined } as unknown as Window & typeof globalThis;
    expect(detectBrowser(base)).toEqual({ applePay: false, paymentRequest: false });
    const safari = {
      ApplePaySession: { canMakePayments: () => true },
      PaymentRequest: function PaymentRequest() {},
    } as unknown as Window & typeof globalThis;
    expect(detectBrowser(safari)).toEqual({ applePay: true, paymentRequest: true });
    const insecure = {
      ApplePaySession: {
        canMakePayments: () => {
          throw new Error('InvalidAccessError');
        },
      },
    } as unknown as Window & typeof globalThis;
    expect(detectBrowser(insecure).applePay).toBe(false);
  });

  it('when paying in the simulator, then LINE Pay and JKO Pay send one prime (the wallet page decides), the sheets one per outcome', () => {
    expect(simulatorWalletPrime('linepay', 'approve')).toBe('sim_linepay');
    expect(simulatorWalletPrime('jkopay', 'decline')).toBe('sim_jkopay');
    expect(simulatorWalletPrime('applepay', 'approve')).toBe('sim_applepay_approve');
    expect(simulatorWalletPrime('googlepay', 'decline')).toBe('sim_googlepay_decline');
  });

  it('when TapPay gives no prime (the buyer closed the sheet), then the wallet counts as cancelled', async () => {
    const tp = {
      linePay: { getPrime: (cb: (r: object) => void) => cb({ status: 0, msg: '', prime: 'ln_x' }) },
      googlePay: { getPrime: (cb: (e: unknown, p?: string) => void) => cb(new Error('closed')) },
      paymentRequestApi: {
        getPrime: (cb: (r: object) => void) => cb({ status: -1, msg: 'cancel' }),
      },
    } as unknown as TPDirectApi;
    await expect(tapPayWalletPrime(tp, 'linepay')).resolves.toBe('ln_x');
    await expect(tapPayWalletPrime(tp, 'googlepay')).rejects.toBeInstanceOf(WalletCancelled);
    await expect(tapPayWalletPrime(tp, 'applepay')).rejects.toBeInstanceOf(WalletCancelled);
    await expect(tapPayWalletPrime(tp, 'jkopay')).rejects.toBeInstanceOf(WalletCancelled);
  });
});

// Local wallets through TapPay (issue 23 item 7): which of the merchant's wallets this browser can
// use, and how each one gives a prime. LINE Pay and JKO Pay work in any browser (TapPay sends the
// buyer to the wallet's page); Apple Pay needs Safari's ApplePaySession, Google Pay the Payment
// Request API (and, with TapPay, Google's pay.js saying the buyer can pay). With the simulator, the
// same detection decides, and the wallets' primes are the simulator's.
import type { PaymentsConfig } from '../../api/types.ts';
import type { TPDirectApi } from './tappay.ts';

export type Wallet = PaymentsConfig['wallets'][number];

/** The order the buttons appear in (the locally most used first). */
export const WALLET_ORDER: readonly Wallet[] = ['linepay', 'jkopay', 'applepay', 'googlepay'];

/** Wallets that send the buyer to their own page (payment_url) rather than a sheet. */
export const REDIRECT_WALLETS: ReadonlySet<Wallet> = new Set(['linepay', 'jkopay']);

interface ApplePaySessionLike {
  canMakePayments?: () => boolean;
}

/** What the browser offers, as feature detection sees it (pure input for `usableWallets`). */
export interface BrowserWallets {
  applePay: boolean;
  paymentRequest: boolean;
}

export function detectBrowser(w: Window & typeof globalThis = window): BrowserWallets {
  let applePay = false;
  try {
    const session = (w as unknown as { ApplePaySession?: ApplePaySessionLike }).ApplePaySession;
    applePay = Boolean(session?.canMakePayments?.());
  } catch {
    // ApplePaySession throws outside a secure context: no Apple Pay.
  }
  return { applePay, paymentRequest: typeof w.PaymentRequest === 'function' };
}

/** The merchant's wallets this browser can use, in button order. */
export function usableWallets(offered: readonly Wallet[], browser: BrowserWallets): Wallet[] {
  return WALLET_ORDER.filter((w) => {
    if (!offered.includes(w)) return false;
    if (w === 'applepay') return browser.applePay;
    if (w === 'googlepay') return browser.paymentRequest;
    return true;
  });
}

/** The simulator's primes: LINE Pay / JKO Pay decide on the wallet page, the sheets here. */
export function simulatorWalletPrime(wallet: Wallet, outcome: 'approve' | 'decline'): string {
  return REDIRECT_WALLETS.has(wallet) ? `sim_${wallet}` : `sim_${wallet}_${outcome}`;
}

// ---- TapPay's wallet APIs (TPDirect), as its web SDK documents them.

interface PrimeResult {
  status: number;
  msg: string;
  prime?: string;
}

export interface TPDirectWallets {
  linePay?: { getPrime(cb: (r: PrimeResult) => void): void };
  jkoPay?: { getPrime(cb: (r: PrimeResult) => void): void };
  paymentRequestApi?: {
    checkAvailability(): boolean;
    setupApplePay(options: { merchantIdentifier: string; countryCode: string }): void;
    setupPaymentRequest(
      data: unknown,
      cb: (r: {
        browserSupportPaymentRequest: boolean;
        canMakePaymentWithActiveCard: boolean;
      }) => void,
    ): void;
    getPrime(cb: (r: PrimeResult) => void): void;
  };
  googlePay?: {
    setupGooglePay(options: Record<string, unknown>): void;
    setupPaymentRequest(
      request: { allowedNetworks: string[]; price: string; currency: string },
      cb: (err: unknown, result: { canUseGooglePay?: boolean } | undefined) => void,
    ): void;
    getPrime(cb: (err: unknown, prime: string | undefined) => void): void;
  };
}

/** Google Pay's own script (TapPay's Google Pay needs it next to TPDirect). */
export const GOOGLE_PAY_JS = 'https://pay.google.com/gp/p/js/pay.js';

let googleLoading: Promise<void> | null = null;
export function loadGooglePayJs(): Promise<void> {
  googleLoading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = GOOGLE_PAY_JS;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      googleLoading = null;
      reject(new Error('Google Pay failed to load'));
    };
    document.head.appendChild(script);
  });
  return googleLoading;
}

/** A wallet the buyer closed or that refused: the page says so, nothing was charged. */
export class WalletCancelled extends Error {}

const primeOf = (r: PrimeResult) => {
  if (r.status === 0 && r.prime) return r.prime;
  throw new WalletCancelled(r.msg);
};

/**
 * Sets TapPay's sheets up for this amount; resolves with the wallets TapPay says this device can
 * use now (Apple Pay with a card in it, Google Pay `canUseGooglePay`).
 */
export async function setupTapPayWallets(
  tp: TPDirectApi & TPDirectWallets,
  config: PaymentsConfig,
  amount: number,
  label: string,
): Promise<Set<Wallet>> {
  const ready = new Set<Wallet>();
  if (config.wallets.includes('linepay') && tp.linePay) ready.add('linepay');
  if (config.wallets.includes('jkopay') && tp.jkoPay) ready.add('jkopay');
  const price = String(amount);
  const pr = tp.paymentRequestApi;
  if (
    config.wallets.includes('applepay') &&
    config.applePayMerchantIdentifier &&
    pr?.checkAvailability()
  ) {
    pr.setupApplePay({ merchantIdentifier: config.applePayMerchantIdentifier, countryCode: 'TW' });
    const canPay = await new Promise<boolean>((resolve) =>
      pr.setupPaymentRequest(
        {
          supportedNetworks: ['MASTERCARD', 'VISA', 'JCB', 'AMEX'],
          supportedMethods: ['apple_pay'],
          displayItems: [{ label, amount: { currency: 'TWD', value: price } }],
          total: { label: 'Pitch-A-Seat', amount: { currency: 'TWD', value: price } },
        },
        (r) => resolve(r.browserSupportPaymentRequest && r.canMakePaymentWithActiveCard),
      ),
    );
    if (canPay) ready.add('applepay');
  }
  if (config.wallets.includes('googlepay') && tp.googlePay) {
    try {
      await loadGooglePayJs();
      const gp = tp.googlePay;
      gp.setupGooglePay({
        ...(config.googlePayMerchantId ? { googleMerchantId: config.googlePayMerchantId } : {}),
        allowedCardAuthMethods: ['PAN_ONLY', 'CRYPTOGRAM_3DS'],
        merchantName: 'Pitch-A-Seat',
        allowedCountryCodes: ['TW'],
      });
      const canUse = await new Promise<boolean>((resolve) =>
        gp.setupPaymentRequest(
          { allowedNetworks: ['MASTERCARD', 'VISA', 'JCB', 'AMEX'], price, currency: 'TWD' },
          (err, result) => resolve(!err && Boolean(result?.canUseGooglePay)),
        ),
      );
      if (canUse) ready.add('googlepay');
    } catch {
      // No Google Pay on this device (pay.js blocked or failed): no button.
    }
  }
  return ready;
}

/** Asks TapPay's SDK for the wallet's prime (opens the Apple Pay / Google Pay sheet). */
export function tapPayWalletPrime(tp: TPDirectApi & TPDirectWallets, wallet: Wallet) {
  return new Promise<string>((resolve, reject) => {
    const settle = (r: PrimeResult) => {
      try {
        resolve(primeOf(r));
      } catch (err) {
        reject(err instanceof Error ? err : new WalletCancelled('no prime'));
      }
    };
    if (wallet === 'linepay' && tp.linePay) return tp.linePay.getPrime(settle);
    if (wallet === 'jkopay' && tp.jkoPay) return tp.jkoPay.getPrime(settle);
    if (wallet === 'applepay' && tp.paymentRequestApi) return tp.paymentRequestApi.getPrime(settle);
    if (wallet === 'googlepay' && tp.googlePay)
      return tp.googlePay.getPrime((err, prime) =>
        err || !prime ? reject(new WalletCancelled('closed')) : resolve(prime),
      );
    reject(new WalletCancelled('wallet unavailable'));
  });
}

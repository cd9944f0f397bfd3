// A TapPay-compatible simulator (docs/PRODUCT.md §4.1): the same paths and JSON fields as TapPay, trades
// kept in memory. Primes choose the outcome:
//   sim_approve          approved at once
//   sim_decline          declined by the bank (status 10003)
//   sim_3ds              status 0 with payment_url; the page approves and sends the backend notify
//   sim_timeout          the bank approves, but TapPay answers 421 Gateway Timeout (no rec_trade_id)
//   sim_timeout_decline  the bank declines, and TapPay answers 422 Authorization Timeout
//   sim_approve_notify   approved, and the backend notify is sent before the answer (a race)
//   sim_unknown_error    the bank approves, but TapPay answers 915 Unknown Error
//   sim_prime_expired    91 Expired prime (the page must get a new prime)
//   sim_3ds_unsupported  74 "This merchant does not support 3DS2.0" when three_domain_secure is
//                        asked for (a merchant configuration error); approved without it
//   sim_approve_auth     approved but not captured yet (record_status 0, as every TapPay trade
//                        is until the acquirer's capture batch runs); `capture()` captures it
// Wallet primes (issue 23 item 7), each accepted only with that wallet's merchant_id, as TapPay
// gives a merchant per payment method:
//   sim_linepay, sim_jkopay       status 0 with payment_url (result_url required): the wallet page
//                                 (/_sim/tappay/wallet/:id) approves, declines or is cancelled by
//                                 the buyer, sends the backend notify and redirects to PUBLIC_URL
//   sim_applepay_approve, sim_googlepay_approve  approved at once (the sheet gave the prime)
//   sim_applepay_decline, sim_googlepay_decline  declined by the bank (10003)
// (A buyer who closes the Apple Pay / Google Pay sheet gets no prime: nothing reaches TapPay.)
// Status codes the simulator uses, after TapPay's error table: 0 success, 2 end of list, 61
// unknown merchant, 74 3-D Secure not supported, 80 bad x-api-key/partner key, 91 expired prime,
// 121 invalid prime, 5xx missing or invalid arguments (SIM_TRADE_NOT_FOUND for a rec_trade_id it
// does not know), 421/422 time-outs, 915 unknown error, 10003 card error (a decline), 10009
// refund refused (amount).
// The payment model, as TapPay documents it: a trade's `amount` is what is left after refunds and
// `original_amount` what it charged; Pay by Prime takes the merchant's `bank_transaction_id` (the
// Record API finds a trade by it); a refund without `amount` refunds what is left; a refund's
// `bank_refund_id` is carried out once (a repeat answers the first result); refunding a trade not
// captured yet cancels its authorisation (`is_captured: false`), in part or in whole.
// With `journalFile`, every change of a trade is appended to a JSON Lines file (synchronously,
// before the answer leaves) and replayed on start, so a restarted or SIGKILLed server still
// finds the charges TapPay "made" — as the real TapPay keeps them — and reconciliation works.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FetchLike } from './tappay-client.ts';
import { RECORD_STATUS } from './tappay-client.ts';

export const SIM_PRIMES = [
  'sim_approve',
  'sim_decline',
  'sim_3ds',
  'sim_timeout',
  'sim_timeout_decline',
  'sim_approve_notify',
  'sim_unknown_error',
  'sim_prime_expired',
  'sim_3ds_unsupported',
  'sim_approve_auth',
  'sim_linepay',
  'sim_jkopay',
  'sim_applepay_approve',
  'sim_applepay_decline',
  'sim_googlepay_approve',
  'sim_googlepay_decline',
] as const;

type SimWallet = 'linepay' | 'jkopay' | 'applepay' | 'googlepay';
/** Record API `payment_method` of each wallet's trades (a card's is `direct_pay`). */
const WALLET_PAYMENT_METHOD: Record<SimWallet, string> = {
  linepay: 'line_pay',
  jkopay: 'jko_pay',
  applepay: 'apple_pay',
  googlepay: 'google_pay',
};
/** Which wallet a simulator prime comes from (null: a card's). */
export function simWalletOf(prime: string): SimWallet | null {
  const m = /^sim_(linepay|jkopay|applepay|googlepay)(_|$)/.exec(prime);
  return m ? (m[1] as SimWallet) : null;
}
/** The status the simulator's wallet page reports for a buyer who cancelled (its own code). */
export const SIM_WALLET_CANCELLED = { status: 924, msg: 'Payment cancelled by the buyer' };

/** What the simulator answers for a rec_trade_id it does not know (an invalid argument). */
export const SIM_TRADE_NOT_FOUND = { status: 535, msg: 'Invalid arguments : rec_trade_id' };

export interface SimTrade {
  recTradeId: string;
  bankTransactionId: string;
  orderNumber: string;
  merchantId: string;
  /** What the trade charged (TapPay's `original_amount`). */
  originalAmount: number;
  /** What is left after refunds (TapPay's `amount`). */
  amount: number;
  refundedAmount: number;
  recordStatus: number;
  details: string;
  authCode: string;
  cardholder: { name: string; email: string; phone_number: string };
  threeDomainSecure: boolean;
  frontendRedirectUrl: string | null;
  backendNotifyUrl: string | null;
  goBackUrl?: string | null;
  /** Refunds carried out, by bank_refund_id, with the amount each refunded. */
  refunds?: Record<string, number>;
  /** Captured by the acquirer (record_status 1); a trade still `auth` (0) is not. */
  captured?: boolean;
  /** The wallet that gave the prime (absent: a card). */
  wallet?: SimWallet;
  time: number;
}

export interface SimulatorOptions {
  partnerKey: string;
  merchantId: string;
  /** Each wallet's merchant_id; a wallet's prime is refused (61) with any other. */
  walletMerchantIds?: Partial<Record<SimWallet, string>>;
  /** The simulator's own base URL, as the browser sees it (for payment_url). */
  baseUrl: string;
  /** Used to send the backend notify. */
  fetch: FetchLike;
  now?: () => Date;
  /** Where trades are journalled (JSON Lines; the last line of a trade wins). Default: memory only. */
  journalFile?: string;
  /**
   * The only origin the 3-D Secure page sends the browser back to (the app's PUBLIC_URL); a trade
   * asking for another gets no redirect. Default: any (tests of the simulator alone).
   */
  redirectOrigin?: string;
}

type Json = Record<string, unknown>;

const rand = (n: number) => randomBytes(n).toString('hex').toUpperCase();
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const isCaptured = (t: SimTrade) =>
  t.captured ??
  (t.recordStatus === RECORD_STATUS.ok ||
    t.recordStatus === RECORD_STATUS.partiallyRefunded ||
    t.recordStatus === RECORD_STATUS.refunded);

export function createTapPaySimulator(options: SimulatorOptions) {
  const trades = new Map<string, SimTrade>();
  const now = () => (options.now ? options.now() : new Date());
  const journal = options.journalFile;
  if (journal && existsSync(journal)) {
    for (const line of readFileSync(journal, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const t = JSON.parse(line) as SimTrade;
        // Journals written before original_amount was modelled: amount never shrank then.
        t.originalAmount ??= t.amount;
        if (typeof t.recTradeId === 'string') trades.set(t.recTradeId, t);
      } catch {
        // A torn last line (killed mid-write) lost only that change, never an earlier one.
      }
    }
  }
  if (journal) mkdirSync(path.dirname(journal), { recursive: true, mode: 0o700 });
  /** Records a trade's current state (a no-op without a journal). */
  // The journal keeps what reconciliation needs, never the cardholder's personal data.
  const save = (t: SimTrade) => {
    if (!journal) return;
    const kept: SimTrade = { ...t, cardholder: { name: '', email: '', phone_number: '' } };
    appendFileSync(journal, `${JSON.stringify(kept)}\n`, { mode: 0o600 });
  };
  const redirectAllowed = (url: string) => {
    if (!options.redirectOrigin) return true;
    try {
      return new URL(url).origin === new URL(options.redirectOrigin).origin;
    } catch {
      return false;
    }
  };

  function authorised(apiKey: unknown, body: Json) {
    return apiKey === options.partnerKey && body.partner_key === options.partnerKey;
  }

  function cardInfo() {
    return {
      bin_code: '424242',
      last_four: '4242',
      issuer: 'SIMULATED BANK',
      issuer_zh_tw: '模擬銀行',
      bank_id: '000',
      funding: 0,
      type: 1,
      level: '',
      country: 'TAIWAN R.O.C.',
      country_code: 'TW',
    };
  }

  function recordJson(t: SimTrade) {
    return {
      rec_trade_id: t.recTradeId,
      record_status: t.recordStatus,
      order_number: t.orderNumber,
      merchant_id: t.merchantId,
      amount: t.amount,
      original_amount: t.originalAmount,
      refunded_amount: t.refundedAmount,
      currency: 'TWD',
      details: t.details,
      bank_transaction_id: t.bankTransactionId,
      auth_code: t.authCode,
      three_domain_secure: t.threeDomainSecure,
      payment_method: t.wallet ? WALLET_PAYMENT_METHOD[t.wallet] : 'direct_pay',
      is_captured: isCaptured(t),
      time: t.time,
      partial_card_number: '424242-4242',
      card_info: cardInfo(),
      cardholder: t.cardholder,
      bank_result_code: t.recordStatus === RECORD_STATUS.error ? '05' : '00',
      bank_result_msg: '',
    };
  }

  function notifyJson(t: SimTrade) {
    const ok = t.recordStatus === RECORD_STATUS.ok || t.recordStatus === RECORD_STATUS.auth;
    const cancelled = t.recordStatus === RECORD_STATUS.cancelled;
    return {
      rec_trade_id: t.recTradeId,
      auth_code: t.authCode,
      bank_transaction_id: t.bankTransactionId,
      order_number: t.orderNumber,
      amount: t.originalAmount,
      status: ok ? 0 : cancelled ? SIM_WALLET_CANCELLED.status : 10003,
      msg: ok ? 'Success' : cancelled ? SIM_WALLET_CANCELLED.msg : 'Card Error',
      transaction_time_millis: t.time,
      acquirer: 'TW_SIM',
      bank_result_code: ok ? '00' : '05',
      bank_result_msg: '',
    };
  }

  async function sendNotify(t: SimTrade) {
    if (!t.backendNotifyUrl) return;
    try {
      await options.fetch(t.backendNotifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notifyJson(t)),
      });
    } catch {
      // TapPay does not fail a payment because the merchant's notify endpoint is down.
    }
  }

  function missing(body: Json): Json | null {
    const ch = body.cardholder;
    if (!isObj(ch)) return { status: 501, msg: 'Missing arguments : cardholder' };
    if (!text(body.merchant_id)) return { status: 502, msg: 'Missing arguments : merchant_id' };
    if (!text(body.prime)) return { status: 503, msg: 'Missing arguments : prime' };
    if (!text(body.currency)) return { status: 504, msg: 'Missing arguments : currency' };
    if (!text(body.details)) return { status: 505, msg: 'Missing arguments : details' };
    if (!text(ch.phone_number))
      return { status: 507, msg: 'Missing arguments : cardholder > phone_number' };
    if (!text(ch.name)) return { status: 508, msg: 'Missing arguments : cardholder > name' };
    if (!text(ch.email)) return { status: 509, msg: 'Missing arguments : cardholder > email' };
    const amount = body.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)
      return { status: 510, msg: 'Invalid arguments : amount' };
    return null;
  }

  let recordCalls = 0;

  /** Settles a pending trade from its page, notifies, and answers where the browser goes. */
  async function completeAction(
    recTradeId: string,
    outcome: 'approve' | 'decline' | 'cancel',
  ): Promise<string | null> {
    const t = trades.get(recTradeId);
    if (!t) return null;
    if (t.recordStatus === RECORD_STATUS.pending) {
      t.recordStatus =
        outcome === 'approve'
          ? RECORD_STATUS.ok
          : outcome === 'cancel'
            ? RECORD_STATUS.cancelled
            : RECORD_STATUS.error;
      t.authCode = outcome === 'approve' ? t.authCode : '';
      save(t);
      await sendNotify(t);
    }
    const { status } = notifyJson(t);
    if (!t.frontendRedirectUrl || !redirectAllowed(t.frontendRedirectUrl)) return null;
    const url = new URL(t.frontendRedirectUrl);
    url.searchParams.set('rec_trade_id', t.recTradeId);
    url.searchParams.set('order_number', t.orderNumber);
    url.searchParams.set('status', String(status));
    return url.toString();
  }

  return {
    /** Every trade (tests count charges with it). */
    trades: () => [...trades.values()],

    /** How many Record API calls the simulator has answered (tests count amplification). */
    recordCalls: () => recordCalls,

    tradesOfOrder: (orderNumber: string) =>
      [...trades.values()].filter((t) => t.orderNumber === orderNumber),

    get: (recTradeId: string) => trades.get(recTradeId),

    /** The acquirer's capture batch ran: a trade still `auth` is captured (record_status 1). */
    capture(recTradeId: string) {
      const t = trades.get(recTradeId);
      if (!t || t.recordStatus !== RECORD_STATUS.auth) return;
      t.recordStatus = RECORD_STATUS.ok;
      t.captured = true;
      save(t);
    },
    /** The partner key this simulator accepts (the app's client, and tests, read it here). */
    partnerKey: options.partnerKey,

    async payByPrime(apiKey: unknown, body: unknown): Promise<Json> {
      if (!isObj(body)) return { status: 5, msg: 'Wrong JSON format' };
      if (!authorised(apiKey, body)) return { status: 80, msg: 'Invaild x-api-key or app key' };
      const bad = missing(body);
      if (bad) return bad;
      const prime = text(body.prime);
      const wallet = simWalletOf(prime);
      const merchantId = wallet ? options.walletMerchantIds?.[wallet] : options.merchantId;
      if (!merchantId || body.merchant_id !== merchantId)
        return { status: 61, msg: 'Merchant not found or removed' };
      if (!(SIM_PRIMES as readonly string[]).includes(prime))
        return { status: 121, msg: 'Invalid arguments : prime' };
      if (prime === 'sim_prime_expired') return { status: 91, msg: 'Expired prime' };
      if (prime === 'sim_3ds_unsupported' && body.three_domain_secure === true)
        return { status: 74, msg: 'This merchant does not support 3DS2.0' };
      const resultUrl = isObj(body.result_url) ? body.result_url : {};
      // LINE Pay and JKO Pay send the buyer back and notify the merchant: both URLs are required.
      if (
        (wallet === 'linepay' || wallet === 'jkopay') &&
        (!text(resultUrl.frontend_redirect_url) || !text(resultUrl.backend_notify_url))
      )
        return { status: 4, msg: 'Missing arguments : result_url' };
      const ch = body.cardholder as Json;
      const t: SimTrade = {
        recTradeId: `D${rand(10)}`,
        bankTransactionId: text(body.bank_transaction_id) || `TP${rand(8)}`,
        orderNumber: text(body.order_number),
        merchantId,
        ...(wallet ? { wallet } : {}),
        originalAmount: body.amount as number,
        amount: body.amount as number,
        refundedAmount: 0,
        recordStatus: RECORD_STATUS.pending,
        details: text(body.details),
        authCode: String(100000 + (randomBytes(2).readUInt16BE() % 900000)),
        cardholder: {
          name: text(ch.name),
          email: text(ch.email),
          phone_number: text(ch.phone_number),
        },
        threeDomainSecure: body.three_domain_secure === true,
        frontendRedirectUrl: text(resultUrl.frontend_redirect_url) || null,
        backendNotifyUrl: text(resultUrl.backend_notify_url) || null,
        goBackUrl: text(resultUrl.go_back_url) || null,
        refunds: {},
        time: now().getTime(),
      };
      trades.set(t.recTradeId, t);
      save(t);
      const base = {
        amount: t.amount,
        currency: 'TWD',
        rec_trade_id: t.recTradeId,
        bank_transaction_id: t.bankTransactionId,
        order_number: t.orderNumber,
        acquirer: 'TW_SIM',
        transaction_time_millis: t.time,
        bank_transaction_time: {
          start_time_millis: String(t.time),
          end_time_millis: String(t.time),
        },
        card_info: cardInfo(),
        card_identifier: `sim${rand(8).toLowerCase()}`,
        merchant_id: t.merchantId,
      };
      switch (prime) {
        case 'sim_linepay':
        case 'sim_jkopay':
          // Pending until the buyer acts on the wallet's page.
          return {
            status: 0,
            msg: 'Success',
            ...base,
            card_info: undefined,
            auth_code: '',
            payment_url: `${options.baseUrl}/wallet/${t.recTradeId}`,
          };
        case 'sim_applepay_decline':
        case 'sim_googlepay_decline':
        case 'sim_decline':
          t.recordStatus = RECORD_STATUS.error;
          save(t);
          return {
            status: 10003,
            msg: 'Card Error',
            ...base,
            bank_result_code: '05',
            bank_result_msg: 'Do not honour',
          };
        case 'sim_3ds':
          return {
            status: 0,
            msg: 'Success',
            ...base,
            auth_code: '',
            payment_url: `${options.baseUrl}/3ds/${t.recTradeId}`,
          };
        case 'sim_timeout':
          t.recordStatus = RECORD_STATUS.ok;
          save(t);
          return { status: 421, msg: 'Gateway Timeout' };
        case 'sim_unknown_error':
          t.recordStatus = RECORD_STATUS.ok;
          save(t);
          return { status: 915, msg: 'Unknown Error' };
        case 'sim_approve_auth':
          t.recordStatus = RECORD_STATUS.auth;
          t.captured = false;
          save(t);
          return { status: 0, msg: 'Success', ...base, auth_code: t.authCode };
        case 'sim_timeout_decline':
          t.recordStatus = RECORD_STATUS.error;
          save(t);
          return { status: 422, msg: 'Authorization Timeout' };
        case 'sim_approve_notify':
          t.recordStatus = RECORD_STATUS.ok;
          save(t);
          await sendNotify(t);
          return { status: 0, msg: 'Success', ...base, auth_code: t.authCode };
        default:
          t.recordStatus = RECORD_STATUS.ok;
          save(t);
          return {
            status: 0,
            msg: 'Success',
            ...base,
            auth_code: t.authCode,
            bank_result_code: '00',
            bank_result_msg: '',
          };
      }
    },

    query(apiKey: unknown, body: unknown): Json {
      recordCalls += 1;
      if (!isObj(body)) return { status: 5, msg: 'Wrong JSON format' };
      if (!authorised(apiKey, body)) return { status: 80, msg: 'Invaild x-api-key or app key' };
      const filters = isObj(body.filters) ? body.filters : {};
      const recTradeId = text(filters.rec_trade_id);
      const orderNumber = text(filters.order_number);
      const bankTransactionId = text(filters.bank_transaction_id);
      const time = isObj(filters.time) ? filters.time : {};
      const from = typeof time.start_time === 'number' ? time.start_time : -Infinity;
      const to = typeof time.end_time === 'number' ? time.end_time : Infinity;
      const found = [...trades.values()]
        .filter((t) => !recTradeId || t.recTradeId === recTradeId)
        .filter((t) => !orderNumber || t.orderNumber === orderNumber)
        .filter((t) => !bankTransactionId || t.bankTransactionId === bankTransactionId)
        .filter((t) => t.time >= from && t.time <= to)
        .sort((a, b) => b.time - a.time);
      const records = recTradeId || orderNumber || bankTransactionId ? found : found.slice(0, 50);
      if (records.length === 0) {
        return { status: 2, msg: 'End of list', number_of_transactions: 0, trade_records: [] };
      }
      return {
        status: 0,
        msg: 'Success',
        records_per_page: 50,
        page: 0,
        total_page_count: 1,
        number_of_transactions: records.length,
        trade_records: records.map(recordJson),
      };
    },

    refund(apiKey: unknown, body: unknown): Json {
      if (!isObj(body)) return { status: 5, msg: 'Wrong JSON format' };
      if (!authorised(apiKey, body)) return { status: 80, msg: 'Invaild x-api-key or app key' };
      const t = trades.get(text(body.rec_trade_id));
      if (!t) return { ...SIM_TRADE_NOT_FOUND };
      const bankRefundId = text(body.bank_refund_id);
      const captured = isCaptured(t);
      const answer = (amount: number) => ({
        status: 0,
        msg: 'Success',
        rec_trade_id: t.recTradeId,
        bank_refund_id: bankRefundId || undefined,
        refund_id: `R${rand(8)}`,
        refund_amount: amount,
        is_captured: captured,
        currency: 'TWD',
      });
      // A bank_refund_id is carried out once: a repeat gets the first result, refunds nothing.
      t.refunds ??= {};
      const done = bankRefundId ? t.refunds[bankRefundId] : undefined;
      if (done !== undefined) return answer(done);
      const charged = t.recordStatus === RECORD_STATUS.ok || t.recordStatus === RECORD_STATUS.auth;
      const partly = t.recordStatus === RECORD_STATUS.partiallyRefunded;
      if (!charged && !partly) return { status: 10009, msg: 'Trade cannot be refunded' };
      const left = t.amount;
      const amount = body.amount === undefined ? left : body.amount;
      if (
        typeof amount !== 'number' ||
        !Number.isSafeInteger(amount) ||
        amount <= 0 ||
        amount > left
      )
        return { status: 10009, msg: 'Refund amount error' };
      t.refundedAmount += amount;
      t.amount -= amount;
      if (bankRefundId) t.refunds[bankRefundId] = amount;
      if (!captured) {
        // Not captured yet: the authorisation is cancelled (in whole, or lowered by the amount;
        // the rest is captured later).
        t.recordStatus = t.amount === 0 ? RECORD_STATUS.refunded : RECORD_STATUS.auth;
      } else {
        t.recordStatus = t.amount === 0 ? RECORD_STATUS.refunded : RECORD_STATUS.partiallyRefunded;
      }
      save(t);
      return answer(amount);
    },

    /** The 3-D Secure page's form: approve or fail, notify the merchant, redirect the browser. */
    complete3ds(recTradeId: string, approve: boolean): Promise<string | null> {
      return completeAction(recTradeId, approve ? 'approve' : 'decline');
    },

    /**
     * The wallet page's form (LINE Pay, JKO Pay): the buyer pays, the wallet declines, or the
     * buyer cancels; the merchant is notified and the browser sent back (to PUBLIC_URL only).
     */
    completeWallet(
      recTradeId: string,
      outcome: 'approve' | 'decline' | 'cancel',
    ): Promise<string | null> {
      const t = trades.get(recTradeId);
      if (!t?.wallet) return Promise.resolve(null);
      return completeAction(recTradeId, outcome);
    },
  };
}

export type TapPaySimulator = ReturnType<typeof createTapPaySimulator>;

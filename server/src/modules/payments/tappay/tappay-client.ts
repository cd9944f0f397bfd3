// TapPay's backend API: Pay by Prime, Record query and Refund, as JSON over HTTPS with the partner
// key in `x-api-key`. The same code talks to the simulator (/_sim/tappay) in development and tests.
// Rules: `status 0` is success; 421/422 (gateway/authorisation time-out), 915 (unknown error),
// network errors, time-outs and unreadable answers mean "unknown" and must be confirmed through
// the Record API; every other code is a refusal, classified by whose problem it is. The prime
// and the partner key never leave this file except in the request itself.

/** The subset of `fetch` the client needs; tests and the simulator's loopback provide their own. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface TapPayClientOptions {
  /** `https://sandbox.tappaysdk.com`, `https://prod.tappaysdk.com` or the simulator's base. */
  baseUrl: string;
  partnerKey: string;
  merchantId: string;
  fetch: FetchLike;
  /** TapPay asks integrators to wait 30 s. */
  timeoutMs?: number;
}

export const TAPPAY_HOSTS = {
  sandbox: 'https://sandbox.tappaysdk.com',
  production: 'https://prod.tappaysdk.com',
} as const;

export const TAPPAY_PATHS = {
  payByPrime: '/tpc/payment/pay-by-prime',
  record: '/tpc/transaction/query',
  refund: '/tpc/transaction/refund',
} as const;

/**
 * TapPay status codes that do not say whether the card was charged: 421 Gateway Timeout, 422
 * Authorization Timeout and 915 Unknown Error. Each is settled through the Record API.
 */
export const TAPPAY_UNKNOWN_STATUSES: ReadonlySet<number> = new Set([421, 422, 915]);

/** The prime can no longer be used (91 prime expired, 121 invalid prime): get a new one, retry. */
export const TAPPAY_PRIME_STATUSES: ReadonlySet<number> = new Set([91, 121]);

/**
 * Why a Pay by Prime call was refused, by TapPay's status code:
 * - `card`: the bank declined the card (TapPay's 10000-and-up bank codes) — try another card;
 * - `prime`: the prime expired or is not valid (91, 121) — the page gets a new prime and retries;
 * - `merchant`: our side — keys and merchant (61, 80–89), 3-D Secure settings (74, 75), missing or
 *   invalid arguments (4, 5, 5xx) and every other code: nothing is wrong with the card; a 503-class
 *   error, logged and alerted.
 */
export type DeclineClass = 'card' | 'prime' | 'merchant';

export function classifyDecline(status: number): DeclineClass {
  if (TAPPAY_PRIME_STATUSES.has(status)) return 'prime';
  if (status >= 10000) return 'card';
  return 'merchant';
}

/** `record_status` of a trade in the Record API. */
export const RECORD_STATUS = {
  error: -1,
  auth: 0,
  ok: 1,
  partiallyRefunded: 2,
  refunded: 3,
  pending: 4,
  cancelled: 5,
} as const;

export interface PayByPrimeInput {
  prime: string;
  amount: number;
  orderNumber: string;
  /** Ours, unique per attempt: how the Record API finds a trade whose answer was lost (421). */
  bankTransactionId: string;
  details: string;
  cardholder: { name: string; email: string; phoneNumber: string };
  frontendRedirectUrl: string;
  backendNotifyUrl: string;
  /** Where TapPay's 3-D Secure (or wallet) page sends a buyer who gives up. */
  goBackUrl: string;
  /** Cards only: a wallet authenticates the buyer itself, and the field is not sent. */
  threeDomainSecure?: boolean;
  /** The TapPay merchant of this payment method (a wallet has its own); default: the card's. */
  merchantId?: string;
}

/** What we keep of a TapPay answer: no card data, no cardholder, no keys. */
export type SafeRaw = Record<string, unknown>;

export type PayOutcome =
  | {
      kind: 'approved';
      recTradeId: string;
      bankTransactionId: string | null;
      amount: number | null;
      orderNumber: string | null;
      providerStatus: number;
      message: string;
      raw: SafeRaw;
    }
  | {
      kind: 'requires_action';
      recTradeId: string;
      paymentUrl: string;
      providerStatus: number;
      message: string;
      raw: SafeRaw;
    }
  | {
      kind: 'declined';
      /** Whose problem it is (classifyDecline). */
      decline: DeclineClass;
      recTradeId: string | null;
      providerStatus: number;
      message: string;
      raw: SafeRaw;
    }
  | {
      kind: 'unknown';
      recTradeId: string | null;
      providerStatus: number | null;
      message: string;
      raw: SafeRaw | null;
    };

export interface TradeRecord {
  recTradeId: string;
  orderNumber: string | null;
  /**
   * What the trade charged: TapPay's `original_amount`. (`amount` shrinks with every refund;
   * older answers without `original_amount` fall back to it.)
   */
  originalAmount: number;
  /** What is left after refunds (TapPay's `amount`). */
  amount: number;
  recordStatus: number;
  refundedAmount: number;
  bankTransactionId: string | null;
  raw: SafeRaw;
}

export type RecordOutcome =
  | { kind: 'ok'; records: TradeRecord[] }
  | { kind: 'error'; providerStatus: number | null; message: string };

export type RefundOutcome =
  | { kind: 'refunded'; refundAmount: number | null; isCaptured: boolean | null; raw: SafeRaw }
  | { kind: 'failed'; providerStatus: number; message: string; raw: SafeRaw }
  | { kind: 'unknown'; providerStatus: number | null; message: string };

/**
 * A trade that took the buyer's money and has not been given back in full (a partly refunded
 * trade charged its `original_amount`; the refunded part is TapPay's business, not a non-charge).
 */
export const isChargedRecord = (r: TradeRecord) =>
  r.recordStatus === RECORD_STATUS.auth ||
  r.recordStatus === RECORD_STATUS.ok ||
  r.recordStatus === RECORD_STATUS.partiallyRefunded;

export const isFailedRecord = (r: TradeRecord) =>
  r.recordStatus === RECORD_STATUS.error || r.recordStatus === RECORD_STATUS.cancelled;

const SAFE_KEYS = [
  'status',
  'msg',
  'rec_trade_id',
  'bank_transaction_id',
  'order_number',
  'amount',
  'original_amount',
  'currency',
  'acquirer',
  'auth_code',
  'transaction_time_millis',
  'bank_result_code',
  'bank_result_msg',
  'payment_url',
  'record_status',
  'refunded_amount',
  'refund_amount',
  'refund_id',
  'bank_refund_id',
  'is_captured',
  'three_domain_secure',
  'payment_method',
] as const;

/** Keeps only the fields we may store (whitelist): never card data, cardholder or keys. */
export function safeRaw(value: unknown): SafeRaw {
  const out: SafeRaw = {};
  if (!value || typeof value !== 'object') return out;
  const v = value as Record<string, unknown>;
  for (const k of SAFE_KEYS) {
    const x = v[k];
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = x;
  }
  return out;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

type Answer =
  { ok: true; body: Record<string, unknown>; status: number } | { ok: false; message: string };

export function createTapPayClient(options: TapPayClientOptions) {
  const { partnerKey, merchantId } = options;
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** One POST. Never throws: a network error, a time-out or a non-JSON answer is `ok: false`. */
  async function post(path: string, body: Record<string, unknown>): Promise<Answer> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const res = await Promise.race([
        options.fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': partnerKey },
          body: JSON.stringify(body),
          signal: controller.signal,
        }),
        timeout,
      ]);
      const text = await Promise.race([res.text(), timeout]);
      if (res.status >= 500) return { ok: false, message: `HTTP ${res.status}` };
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { ok: false, message: `HTTP ${res.status}, not JSON` };
      }
      if (
        !parsed ||
        typeof parsed !== 'object' ||
        typeof (parsed as { status?: unknown }).status !== 'number'
      ) {
        return { ok: false, message: `HTTP ${res.status}, no status` };
      }
      return { ok: true, body: parsed as Record<string, unknown>, status: res.status };
    } catch (err) {
      // The message of a network error never contains the request body.
      return { ok: false, message: err instanceof Error ? err.message : 'network error' };
    } finally {
      clearTimeout(timer);
    }
  }

  function toRecord(r: unknown): TradeRecord | null {
    if (!r || typeof r !== 'object') return null;
    const v = r as Record<string, unknown>;
    const recTradeId = str(v.rec_trade_id);
    const amount = num(v.amount);
    const recordStatus = num(v.record_status);
    if (!recTradeId || amount === null || recordStatus === null) return null;
    return {
      recTradeId,
      orderNumber: str(v.order_number),
      originalAmount: num(v.original_amount) ?? amount,
      amount,
      recordStatus,
      refundedAmount: num(v.refunded_amount) ?? 0,
      bankTransactionId: str(v.bank_transaction_id),
      raw: safeRaw(v),
    };
  }

  return {
    async payByPrime(input: PayByPrimeInput): Promise<PayOutcome> {
      const answer = await post(TAPPAY_PATHS.payByPrime, {
        prime: input.prime,
        partner_key: partnerKey,
        merchant_id: input.merchantId ?? merchantId,
        amount: input.amount,
        currency: 'TWD',
        order_number: input.orderNumber,
        bank_transaction_id: input.bankTransactionId,
        details: input.details,
        cardholder: {
          phone_number: input.cardholder.phoneNumber,
          name: input.cardholder.name,
          email: input.cardholder.email,
        },
        ...(input.threeDomainSecure === undefined
          ? {}
          : { three_domain_secure: input.threeDomainSecure }),
        result_url: {
          frontend_redirect_url: input.frontendRedirectUrl,
          backend_notify_url: input.backendNotifyUrl,
          go_back_url: input.goBackUrl,
        },
        remember: false,
      });
      if (!answer.ok) {
        return {
          kind: 'unknown',
          recTradeId: null,
          providerStatus: null,
          message: answer.message,
          raw: null,
        };
      }
      const b = answer.body;
      const status = b.status as number;
      const message = str(b.msg) ?? '';
      const recTradeId = str(b.rec_trade_id);
      const raw = safeRaw(b);
      if (TAPPAY_UNKNOWN_STATUSES.has(status)) {
        return { kind: 'unknown', recTradeId, providerStatus: status, message, raw };
      }
      if (status !== 0) {
        const decline = classifyDecline(status);
        return { kind: 'declined', decline, recTradeId, providerStatus: status, message, raw };
      }
      if (!recTradeId) {
        return {
          kind: 'unknown',
          recTradeId: null,
          providerStatus: status,
          message: 'no rec_trade_id',
          raw,
        };
      }
      const paymentUrl = str(b.payment_url);
      if (paymentUrl) {
        return {
          kind: 'requires_action',
          recTradeId,
          paymentUrl,
          providerStatus: status,
          message,
          raw,
        };
      }
      return {
        kind: 'approved',
        recTradeId,
        bankTransactionId: str(b.bank_transaction_id),
        amount: num(b.amount),
        orderNumber: str(b.order_number),
        providerStatus: status,
        message,
        raw,
      };
    },

    /**
     * Record API: the trades of one rec_trade_id, of one bank_transaction_id (ours, one per
     * attempt), or of one order number (our order id) within a time window (epoch ms).
     */
    async queryTrades(
      filter:
        | { recTradeId: string }
        | { bankTransactionId: string }
        | { orderNumber: string; since: Date; until: Date },
    ): Promise<RecordOutcome> {
      const filters =
        'recTradeId' in filter
          ? { rec_trade_id: filter.recTradeId }
          : 'bankTransactionId' in filter
            ? { bank_transaction_id: filter.bankTransactionId }
            : {
                order_number: filter.orderNumber,
                time: {
                  start_time: filter.since.getTime(),
                  end_time: filter.until.getTime(),
                },
              };
      const answer = await post(TAPPAY_PATHS.record, {
        partner_key: partnerKey,
        records_per_page: 50,
        page: 0,
        filters,
      });
      if (!answer.ok) return { kind: 'error', providerStatus: null, message: answer.message };
      const b = answer.body;
      const status = b.status as number;
      // 2 = "end of list": a valid answer with nothing (more) in it.
      if (status !== 0 && status !== 2) {
        return { kind: 'error', providerStatus: status, message: str(b.msg) ?? '' };
      }
      const list = Array.isArray(b.trade_records) ? b.trade_records : [];
      const records = list.map(toRecord).filter((r): r is TradeRecord => r !== null);
      return { kind: 'ok', records };
    },

    /**
     * Refund API. `bankRefundId` is ours, one per refund (TapPay refunds a bank_refund_id once);
     * without `amount` TapPay refunds whatever is left of the trade (a full refund). A trade not
     * captured yet has its authorisation cancelled instead (`is_captured: false` in the answer).
     */
    async refund(input: {
      recTradeId: string;
      bankRefundId: string;
      amount?: number;
    }): Promise<RefundOutcome> {
      const answer = await post(TAPPAY_PATHS.refund, {
        partner_key: partnerKey,
        rec_trade_id: input.recTradeId,
        bank_refund_id: input.bankRefundId,
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
      });
      if (!answer.ok) return { kind: 'unknown', providerStatus: null, message: answer.message };
      const b = answer.body;
      const status = b.status as number;
      const raw = safeRaw(b);
      if (TAPPAY_UNKNOWN_STATUSES.has(status)) {
        return { kind: 'unknown', providerStatus: status, message: str(b.msg) ?? '' };
      }
      if (status !== 0) {
        return { kind: 'failed', providerStatus: status, message: str(b.msg) ?? '', raw };
      }
      return {
        kind: 'refunded',
        refundAmount: num(b.refund_amount),
        isCaptured: typeof b.is_captured === 'boolean' ? b.is_captured : null,
        raw,
      };
    },
  };
}

export type TapPayClient = ReturnType<typeof createTapPayClient>;

// The words the server and the web app share: the API's error codes and the domain's status
// lists. Plain constants, no zod and no imports: the web's first page reads them without pulling
// a schema library into its bundle. The zod schemas next to this file build their enums from
// these lists, the server's error table is keyed by ERROR_CODES, and the web has a translated
// message for every word (web/src/i18n/vocabulary.test.ts).

/** Every `error.code` the API answers; HTTP statuses in server/src/platform/http/error-status.ts. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'LISTING_UNAVAILABLE',
  'INVALID_STATE',
  'EMAIL_TAKEN',
  'ALREADY_REVIEWED',
  'DUPLICATE_RESERVATION',
  'RESERVATION_LIMIT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'PRICE_ABOVE_FACE_VALUE',
  'FACE_VALUE_OUT_OF_RANGE',
  'GAME_NOT_ON_SALE',
  'CANNOT_BUY_OWN_LISTING',
  'PURCHASE_LIMIT',
  'QUANTITY_NOT_ALLOWED',
  'HOLD_LIMIT',
  'HOLD_COOLDOWN',
  'PAYMENT_DECLINED',
  'LINE_LOGIN_FAILED',
  'PAYMENT_PRIME_EXPIRED',
  'PAYMENT_UNAVAILABLE',
  'RATE_LIMITED',
  'INVALID_TOKEN',
  'EMAIL_NOT_VERIFIED',
  'ACCOUNT_BUSY',
  /** 2 cancelled paid sales in 30 days: no new listings for 14 days (issue 18 item 7). */
  'SELLING_PAUSED',
  /** Marking an order sent needs evidence fitting its handover method (issue 18 item 4). */
  'PROOF_REQUIRED',
  /** The in-person handover code is wrong (`details.attemptsLeft`). */
  'HANDOVER_CODE_INVALID',
  /** Too many wrong handover codes: entry pauses until `details.retryAt`. */
  'HANDOVER_CODE_LOCKED',
  /** The handover code was already used: the order is complete. */
  'HANDOVER_CODE_USED',
  'INVALID_TOTP_CODE',
  'TOTP_REQUIRED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
  /** A known path asked with a method it does not take (405, with `Allow`). */
  'METHOD_NOT_ALLOWED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The languages of the site and of its e-mails; zh-TW is the default. */
export const LOCALES = ['zh-TW', 'en'] as const;

/** A regular-season game, a Taiwan Series game, a challenge-series game. */
export const GAME_KINDS = ['A', 'C', 'E'] as const;

export const GAME_STATUSES = [
  'scheduled',
  'in_progress',
  'final',
  'postponed',
  'suspended',
  'cancelled',
] as const;

export const LISTING_STATUSES = ['active', 'held', 'sold', 'cancelled', 'expired'] as const;

/** How a listing may be bought in part (issue 22): any number, never leaving one seat, whole only. */
export const SPLIT_RULES = ['any', 'pairs', 'none'] as const;

export const LISTING_SORTS = ['price', '-price', 'newest', 'area', 'seller_rating'] as const;

export const DELIVERY_METHODS = ['eticket_transfer', 'paper_mail', 'in_person'] as const;

/** What the seller needs from the buyer to hand a ticket over (the handover guide, checkout). */
export const HANDOVER_RECIPIENT_KINDS = ['phone', 'email', 'phone_or_email', 'address'] as const;

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'delivered',
  'completed',
  'disputed',
  'refunded',
  'expired',
  'cancelled',
] as const;

export const PAYMENT_STATUSES = [
  'pending',
  'requires_action',
  'succeeded',
  'failed',
  'unknown',
] as const;

/**
 * Local wallets through TapPay (TAPPAY_WALLETS): LINE Pay and JKO Pay (街口) send the buyer to the
 * wallet (`payment_url`); Apple Pay and Google Pay give a prime in the browser's payment sheet.
 */
export const WALLETS = ['linepay', 'jkopay', 'applepay', 'googlepay'] as const;
/** How a payment attempt pays: a card (TapPay Fields) or one of the wallets. */
export const PAYMENT_METHODS = ['card', ...WALLETS] as const;

/**
 * What the viewer of an order may do next (`Order.actions`, computed by the server): the buyer
 * pays, cancels, confirms receipt, disputes, reviews; the seller delivers or cancels (a refund);
 * an admin settles a dispute with a refund or a release to the seller.
 */
export const ORDER_ACTIONS = [
  'pay',
  'cancel',
  'deliver',
  'confirm',
  'dispute',
  'review',
  'refund',
  'release',
] as const;

/** Who moved an order (an order timeline entry's `actor`). */
export const ORDER_ACTORS = ['buyer', 'seller', 'admin', 'system'] as const;

/** A payout: owed → in_batch (in a bank transfer file) → paid | failed (owed again once fixed). */
export const PAYOUT_STATUSES = ['owed', 'in_batch', 'paid', 'failed'] as const;

export const RESERVATION_STATUSES = ['active', 'ended'] as const;

export const NOTIFICATION_TYPES = [
  'reservation_match',
  'order_placed',
  'order_paid',
  'order_delivered',
  'order_completed',
  'order_refunded',
  'order_expired',
  'review_received',
  'game_postponed',
  'game_cancelled',
  'payout_paid',
  'payout_failed',
  'game_changed',
  'schedule_sync_failing',
  /** The buyer's receipt when a payment succeeds (issue 21 item 4). */
  'payment_receipt',
  /** The seller has 24 h, then 2 h, left to hand the ticket over (issue 18 item 3). */
  'delivery_reminder',
  /** An admin settled a dispute: the outcome and the admin's note, to both parties (issue 18 item 6). */
  'dispute_resolved',
  /** The other party wrote in the order's conversation (issue 18 item 5). */
  'order_message',
] as const;

/** What the schedule sync (or an admin) changed about a game (`game_changed`, game history). */
export const GAME_CHANGE_KINDS = [
  'postponed',
  'makeup',
  'time',
  'stadium',
  'cancelled',
  'suspended',
  'final',
  'status',
  'override',
] as const;

/** Why a listing is recommended, most important first on each item. */
export const RECOMMENDATION_REASONS = [
  'favorite_team',
  'reserved_game',
  'team_history',
  'popular',
  'price_fit',
  'seat_area',
  'top_seller',
  'soon',
  'below_face',
] as const;

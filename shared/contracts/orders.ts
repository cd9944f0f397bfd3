// Orders, payments and the handover: one schema per request and response (server and web).
import { z } from 'zod';
import { CursorQuery, Id, IsoTimestamp, Twd } from './common.ts';
import { DISPUTE_REASONS, MAX_DISPUTE_PHOTOS } from './disputes.ts';
import { Listing } from './listings.ts';
import {
  ORDER_ACTIONS,
  ORDER_ACTORS,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  PAYOUT_STATUSES,
  WALLETS,
} from './vocabulary.ts';

export { DISPUTE_REASONS, MAX_DISPUTE_PHOTOS };

export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const PaymentStatus = z.enum(PAYMENT_STATUSES);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const Wallet = z.enum(WALLETS);
export type Wallet = z.infer<typeof Wallet>;
export const PaymentMethod = z
  .enum(PAYMENT_METHODS)
  .describe('card (TapPay Fields) or a wallet offered by GET /api/config/payments (`wallets`)');
export type PaymentMethod = z.infer<typeof PaymentMethod>;

export const OrderAction = z
  .enum(ORDER_ACTIONS)
  .describe(
    'pay, cancel, confirm, dispute, review: POST /api/orders/:id/<action> (buyer; cancel also for ' +
      'the seller, as a refund); deliver: the seller; refund, release: an admin settles a dispute ' +
      '(POST /api/admin/orders/:id/resolve {outcome})',
  );
export type OrderAction = z.infer<typeof OrderAction>;

export const OrderParty = z.object({ id: z.string(), name: z.string() });

/** One row of an order list (no timeline, no payment details). */
export const OrderSummary = z.object({
  id: z.string(),
  status: OrderStatus,
  amount: Twd.describe('price × quantity, whole TWD; exactly what the buyer pays'),
  quantity: z.number().int(),
  unitPrice: Twd,
  expiresAt: IsoTimestamp.describe('end of the checkout hold'),
  paidAt: IsoTimestamp.nullable(),
  deliverBy: IsoTimestamp.nullable(),
  deliveredAt: IsoTimestamp.nullable(),
  completedAt: IsoTimestamp.nullable(),
  createdAt: IsoTimestamp,
  updatedAt: IsoTimestamp,
  listing: Listing,
  buyer: OrderParty,
  seller: OrderParty,
  reviewed: z.boolean().describe('the buyer has rated the seller for this order'),
  actions: z
    .array(OrderAction)
    .describe('what the viewer may do with this order now; anything else is refused'),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const TimelineEntry = z.object({
  from: OrderStatus.nullable(),
  to: OrderStatus,
  actor: z.enum(ORDER_ACTORS),
  reason: z.string().nullable().describe("the system's account of the step (English, for audits)"),
  note: z
    .string()
    .nullable()
    .describe(
      "a person's own words for the step: the delivery note, the dispute reason, or the reason " +
        'given for a cancellation or refund (shown to both parties)',
    ),
  at: IsoTimestamp,
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const PaymentSummary = z.object({
  id: z.string(),
  status: PaymentStatus,
  method: PaymentMethod,
  amount: Twd,
  providerStatus: z.number().int().nullable(),
  message: z.string().nullable(),
  paymentUrl: z.string().nullable(),
  createdAt: IsoTimestamp,
});

export const RefundSummary = z.object({
  id: z.string(),
  amount: Twd,
  status: z.enum(['pending', 'succeeded', 'failed']),
  reason: z.string(),
  createdAt: IsoTimestamp,
});

export const PayoutSummary = z.object({
  id: z.string(),
  grossAmount: Twd,
  fee: Twd,
  amount: Twd,
  status: z.enum(PAYOUT_STATUSES),
  paidAt: IsoTimestamp.nullable(),
});

/** A Taiwanese mobile number: 09 and eight more digits (spaces and dashes removed first). */
export const TaiwanMobile = z
  .string()
  .regex(/^09\d{8}$/, 'a Taiwanese mobile number: 09 and eight more digits');

/**
 * What the seller needs from the buyer to hand the ticket over (issue 18 item 2): for an e-ticket
 * the club account's mobile number or e-mail, for mail a postal address, in person nothing.
 * Stored encrypted; shown only to the seller, only after payment; erased 30 days after the order
 * ended.
 */
export const HandoverRecipient = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('phone'), phone: TaiwanMobile }),
  z.object({ kind: z.literal('email'), email: z.email().max(254) }),
  z.object({
    kind: z.literal('address'),
    name: z.string().trim().min(1).max(50),
    postalCode: z.string().regex(/^\d{3}(\d{2,3})?$/, 'a Taiwanese postal code: 3, 5 or 6 digits'),
    address: z.string().trim().min(5).max(200),
  }),
]);
export type HandoverRecipient = z.infer<typeof HandoverRecipient>;

/**
 * A mail tracking number as typed (spaces and dashes allowed): 8 to 30 letters and digits once
 * they are removed, at least 8 of them digits (中華郵政 掛號 20 digits, UPU `RR123456789TW`,
 * couriers' 10-12 digits).
 */
export const TrackingNumber = z
  .string()
  .trim()
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, 'letters and digits (spaces and dashes allowed)')
  .refine(
    (s) => /^[A-Z0-9]{8,30}$/.test(normalizeTrackingNumber(s)) && /(\D*\d){8}/.test(s),
    'a tracking number: 8 to 30 letters and digits, at least 8 of them digits',
  );

/** The tracking number as stored and shown: no spaces or dashes, capitals. */
export function normalizeTrackingNumber(s: string): string {
  return s.replace(/[\s-]/g, '').toUpperCase();
}

/** The one-time code the buyer shows the seller at an in-person handover. */
export const HANDOVER_CODE_DIGITS = 6;
export const HandoverCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'the six digits the buyer shows');

/** The evidence the seller gave when marking the order sent (issue 18 item 4). */
export const OrderProof = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('photo'),
    photoUrl: z
      .string()
      .describe(
        'the transfer screenshot: GET it signed in as the buyer, the seller or an admin ' +
          '(anyone else: 404); never a public /media URL',
      ),
    at: IsoTimestamp,
  }),
  z.object({ kind: z.literal('tracking'), trackingNumber: z.string(), at: IsoTimestamp }),
  z.object({
    kind: z.literal('code'),
    at: IsoTimestamp.describe("when the seller entered the buyer's code (the order completed)"),
  }),
]);
export type OrderProof = z.infer<typeof OrderProof>;
export const DisputeReason = z.enum(DISPUTE_REASONS);
export type DisputeReason = z.infer<typeof DisputeReason>;

/** An evidence photo of a dispute: served only to the buyer, the seller and admins. */
export const DisputePhoto = z.object({
  id: z.string(),
  url: z.string().describe('GET it with the session (private; never a public /media URL)'),
  thumbUrl: z.string(),
});
export type DisputePhoto = z.infer<typeof DisputePhoto>;

/** One order as its buyer, its seller or an admin sees it. */
export const Order = OrderSummary.extend({
  deliveryNote: z.string().nullable(),
  disputeReason: z.string().nullable(),
  disputeCode: DisputeReason.nullable().describe('the reason picked from the list, once disputed'),
  disputePhotos: z.array(DisputePhoto).describe('evidence (buyer, seller and admins only)'),
  timeline: z.array(TimelineEntry),
  /** The latest payment attempt. */
  payment: PaymentSummary.nullable(),
  refund: RefundSummary.nullable(),
  /** Only shown to the seller and admins. */
  payout: PayoutSummary.nullable(),
  recipient: HandoverRecipient.nullable().describe(
    'where the seller sends the ticket: to the seller only, once paid; null for anyone else, ' +
      'when none was given, and once erased (30 days after the order ended)',
  ),
  recipientGiven: z
    .boolean()
    .describe(
      'the buyer gave recipient details (both parties see this; only the seller sees them)',
    ),
  proof: OrderProof.nullable().describe('what the seller gave as evidence of sending, once sent'),
  handoverCode: z
    .string()
    .nullable()
    .describe(
      'in person: the one-time code the buyer shows the seller, who enters it to complete the ' +
        'order; to the buyer only, while the order is paid',
    ),
});
export type Order = z.infer<typeof Order>;

export const CreateOrderBody = z.object({
  listingId: Id,
  /** How many of the listing's tickets (its split rule decides); all that remain when omitted. */
  quantity: z.number().int().min(1).max(8).optional(),
});
export type CreateOrderBody = z.infer<typeof CreateOrderBody>;

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional(),
});

export const Cardholder = z.object({
  name: z.string().trim().min(1).max(100).regex(/\S/, 'blank'),
  email: z.email().max(254),
  phoneNumber: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{8,15}$/, 'a phone number, digits with an optional leading +'),
});

export const PayBody = z.object({
  /**
   * TapPay's single-use prime: from TapPay Fields for a card, from the wallet for a wallet
   * (TPDirect.linePay / jkoPay / paymentRequestApi / googlePay), or a simulator prime.
   */
  prime: z.string().min(1).max(200),
  cardholder: Cardholder,
  /** Which prime it is; a wallet must be enabled (TAPPAY_WALLETS). */
  method: PaymentMethod.default('card'),
  /** What the seller needs for this listing's delivery method (checked against it). */
  recipient: HandoverRecipient.optional(),
});
export type PayBody = z.infer<typeof PayBody>;

/** PUT /api/orders/:id/recipient: the buyer gives or corrects it until the ticket is sent. */
export const RecipientBody = z.object({ recipient: HandoverRecipient });
export type RecipientBody = z.infer<typeof RecipientBody>;

export const PayResult = z.object({
  order: Order,
  /** Present when the card needs 3-D Secure, or the wallet (LINE Pay, JKO Pay) its own page. */
  paymentUrl: z.string().optional(),
});
export type PayResult = z.infer<typeof PayResult>;

/**
 * POST /api/orders/:id/deliver: the seller's evidence, by the listing's delivery method: mail a
 * `trackingNumber`, in person the buyer's `code` (the order completes at once); an e-ticket needs
 * the transfer screenshot, so it is sent as multipart (DeliverForm).
 */
export const DeliverBody = z.object({
  note: z.string().trim().max(500).optional(),
  trackingNumber: TrackingNumber.optional(),
  code: HandoverCode.optional(),
});
export type DeliverBody = z.infer<typeof DeliverBody>;

/** The multipart form of POST /api/orders/:id/deliver (an e-ticket's transfer screenshot). */
export const DeliverForm = DeliverBody.extend({
  proof: z.string().meta({
    format: 'binary',
    description: 'a screenshot or photo of the transfer: JPEG, PNG, WebP or AVIF, at most 8 MB',
  }),
});

/** Optional body of POST /api/orders/:id/cancel: why (recorded on the timeline). */
export const CancelBody = z.object({ reason: z.string().trim().max(500).optional() }).nullish();
export type CancelBody = z.infer<typeof CancelBody>;

/**
 * POST /api/orders/:id/dispute (JSON, or multipart with up to MAX_DISPUTE_PHOTOS photos in
 * `images`): a reason from the list; `other` needs the buyer's words, the others may add them.
 */
export const DisputeBody = z
  .object({
    reasonCode: DisputeReason,
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((b) => b.reasonCode !== 'other' || (b.reason ?? '').length > 0, {
    path: ['reason'],
    message: 'say what is wrong when the reason is "other"',
  });
export type DisputeBody = z.infer<typeof DisputeBody>;

/** The multipart form of a dispute: the same fields, and the photos in `images`. */
export const DisputeForm = z.object({
  reasonCode: DisputeReason,
  reason: z.string().max(1000).optional(),
  images: z
    .array(
      z.string().meta({
        format: 'binary',
        description: 'evidence: JPEG, PNG, WebP or AVIF, at most 8 MB',
      }),
    )
    .max(MAX_DISPUTE_PHOTOS)
    .optional(),
});

/**
 * A seller's record (issue 18 item 7), over the last `windowDays` days: hand-overs due (sent, or
 * whose deadline passed unsent) and how many were sent in time, paid sales the seller cancelled,
 * disputes settled against the seller, and the median minutes from payment to "sent".
 */
export const SellerScorecard = z.object({
  windowDays: z.number().int(),
  handoversDue: z.number().int(),
  handoversOnTime: z.number().int(),
  cancelledAfterPayment: z.number().int(),
  disputesLost: z.number().int(),
  medianMinutesToSend: z.number().int().nullable(),
});
export type SellerScorecard = z.infer<typeof SellerScorecard>;

export const MyOrdersQuery = CursorQuery.extend({
  role: z.enum(['buyer', 'seller']).default('buyer'),
  status: OrderStatus.optional(),
});
export type MyOrdersQuery = z.infer<typeof MyOrdersQuery>;

export const OrderPage = z.object({
  items: z.array(OrderSummary),
  nextCursor: z.string().nullable(),
});
export type OrderPage = z.infer<typeof OrderPage>;

export const PaymentsConfig = z.object({
  provider: z.enum(['simulator', 'tappay']),
  appId: z.string(),
  appKey: z.string(),
  env: z.enum(['sandbox', 'production']),
  /** The wallets this merchant offers (TAPPAY_WALLETS); the browser shows those it supports. */
  wallets: z.array(Wallet),
  /** Apple Pay's merchant identifier (merchant.…), when Apple Pay is offered. */
  applePayMerchantIdentifier: z.string().nullable(),
  /** Google Pay's merchant id (required by Google in production), when Google Pay is offered. */
  googlePayMerchantId: z.string().nullable(),
});
export type PaymentsConfig = z.infer<typeof PaymentsConfig>;

// The order conversation (issue 18 item 5, docs/PRODUCT.md §2.15): the buyer and the seller of a
// paid order write to each other; admins read it (disputes). Closed 7 days after the order ended.
import { z } from 'zod';
import { Id, IsoTimestamp } from './common.ts';

export const MAX_MESSAGE_LENGTH = 1000;
/** Posting ends this many days after the order completed or was refunded; reading never ends. */
export const CONVERSATION_CLOSE_DAYS = 7;
/** Messages one order's conversation holds (abuse bound; 409 INVALID_STATE beyond it). */
export const MAX_MESSAGES_PER_ORDER = 500;

export const PostMessageBody = z.object({
  /** Trimmed; may be empty only when a photo comes with it (multipart). */
  body: z
    .string()
    .trim()
    .max(MAX_MESSAGE_LENGTH, `at most ${MAX_MESSAGE_LENGTH} characters`)
    .default(''),
});
export type PostMessageBody = z.infer<typeof PostMessageBody>;

export const PostMessageForm = PostMessageBody.extend({
  photo: z
    .string()
    .meta({ format: 'binary', description: 'one photo: JPEG, PNG, WebP or AVIF, at most 8 MB' })
    .optional(),
});

export const MessageParams = z.object({ id: Id, messageId: Id });

export const OrderMessage = z.object({
  id: z.string(),
  /** Which party wrote it. */
  from: z.enum(['buyer', 'seller']),
  /** Written by the viewer. */
  mine: z.boolean(),
  body: z.string(),
  /** The photo's private URL (the parties and admins only), or null. */
  photoUrl: z.string().nullable(),
  /** Asks to pay outside the platform: the other party is warned. */
  flagged: z.boolean(),
  /** When the other party read it. */
  readAt: IsoTimestamp.nullable(),
  createdAt: IsoTimestamp,
});
export type OrderMessage = z.infer<typeof OrderMessage>;

export const Conversation = z.object({
  orderId: z.string(),
  /** Oldest first. */
  messages: z.array(OrderMessage),
  /** The viewer may post now. */
  open: z.boolean(),
  /** Why not: the order is not paid, the conversation closed, or the viewer only reads (admin). */
  closedReason: z.enum(['not_paid', 'closed', 'read_only']).nullable(),
  /** When posting ends (7 days after completion or refund), once the order has ended. */
  closesAt: IsoTimestamp.nullable(),
  /** Messages to the viewer not yet read. */
  unread: z.number().int(),
});
export type Conversation = z.infer<typeof Conversation>;

export const MarkReadResult = z.object({ marked: z.number().int(), readAt: IsoTimestamp });
export type MarkReadResult = z.infer<typeof MarkReadResult>;

// --- What a message may not carry, or must warn about ---------------------------------------

const HIDDEN = '•••';

/** Taiwanese mobile numbers: 0912-345-678, 0912 345 678, 0912345678, +886 912 345 678, 886-912… */
const PHONE = /(?:(?:\+|00)?886[\s\-.]?|\b0)9\d{2}[\s\-.]?\d{3}[\s\-.]?\d{3}\b/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** "line id: abc", "LINE：abc", "賴 abc", "加賴：abc", "line@abc", and bare "@abc" official ids. */
const LINE_LABELLED =
  /(?:line\s*(?:id)?|賴|加賴|ㄌㄧㄥ|LINE\s*ID)\s*(?:[:：=]|是|為)?\s*@?[A-Za-z0-9._-]{3,30}/gi;
const LINE_AT = /(^|[^A-Za-z0-9._%+-])@[A-Za-z0-9._-]{3,30}\b/g;

/**
 * Hides contact details (phone numbers, LINE ids, e-mail addresses) so nobody can take a deal
 * off the platform before paying. Used wherever message text could be seen before payment.
 */
export function maskContactDetails(text: string): string {
  return text
    .replace(EMAIL, HIDDEN)
    .replace(PHONE, HIDDEN)
    .replace(LINE_LABELLED, (m) => {
      const label = /^(?:line\s*(?:id)?|賴|加賴|ㄌㄧㄥ|LINE\s*ID)/i.exec(m)?.[0] ?? '';
      return `${label} ${HIDDEN}`;
    })
    .replace(LINE_AT, (_m, before: string) => `${before}${HIDDEN}`);
}

const PAYMENT_WORDS =
  /轉帳|匯款|匯給|匯到|轉給我|私下(?:交易|付款)|無卡存款|街口|ATM|bank\s*transfer|wire\s*transfer|transfer\s+(?:the\s+)?(?:money|payment)|pay\s+(?:me\s+)?(?:directly|outside|via\s+(?:line|bank|atm))|bank\s*account|account\s*(?:number|no\.?)|(?:銀行)?帳號|戶名/i;
/** A bank code and account: "(822) 1234-5678-9012", "812-12345678901", or 10–16 digits in a row. */
const ACCOUNT_NUMBER = /\(?\b\d{3}\)?[\s-]+\d[\d\s-]{8,18}\d\b|\b\d{10,16}\b/;

/** True when a message asks to be paid outside the platform (bank transfer, an account number). */
export function isPaymentRequest(text: string): boolean {
  const withoutPhones = text.replace(PHONE, ' ');
  return PAYMENT_WORDS.test(text) || ACCOUNT_NUMBER.test(withoutPhones);
}

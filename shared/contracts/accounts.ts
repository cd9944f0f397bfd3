import { z } from 'zod';
import { Id, IsoTimestamp, Locale } from './common.ts';

export const Email = z.email().max(254);
export const Password = z.string().min(8, 'at least 8 characters').max(200);
/**
 * Bidi controls, zero-width and other invisible or format characters: a name could hide or
 * reorder text with them ("客服" that renders as something else, a reversed link).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800\u180E]/u;
/** Words a member's name may not contain: the site's name and staff-sounding titles. */
const RESERVED_NAME_WORDS = [
  'pitch-a-seat',
  'pitchaseat',
  'pitch a seat',
  '客服',
  '官方',
  '管理員',
  '管理者',
  '系統',
  'admin',
  'administrator',
  'support',
  'official',
  'staff',
  'moderator',
];
/** Any account's name (an operator's too): visible characters only, 1-50 after trimming. */
export const UserName = z
  .string()
  .trim()
  .min(1, 'empty')
  .max(50)
  .regex(/\S/, 'blank')
  .refine((name) => !INVISIBLE.test(name), 'contains invisible or control characters');
/** A name members choose: also none that passes for the site or its staff. */
export const MemberName = UserName.refine((name) => {
  const folded = name.normalize('NFKC').toLowerCase();
  return !RESERVED_NAME_WORDS.some((w) => folded.includes(w));
}, 'may not contain the site name or words such as 客服, 官方, admin, support');

export const RegisterBody = z.object({
  email: Email,
  password: Password,
  name: MemberName,
  favoriteTeamId: Id.nullish(),
  locale: Locale.optional(),
});
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z.object({ email: z.string().max(254), password: z.string().max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

/**
 * Taiwan's bank codes (金融機構代號) of the banks and the post office that take interbank
 * transfers; a payout account names one of them.
 */
export const TW_BANK_CODES = [
  '004',
  '005',
  '006',
  '007',
  '008',
  '009',
  '011',
  '012',
  '013',
  '016',
  '017',
  '018',
  '020',
  '021',
  '022',
  '023',
  '025',
  '028',
  '029',
  '030',
  '037',
  '039',
  '048',
  '050',
  '052',
  '053',
  '054',
  '072',
  '075',
  '081',
  '082',
  '101',
  '102',
  '103',
  '108',
  '118',
  '147',
  '162',
  '700',
  '803',
  '805',
  '806',
  '807',
  '808',
  '809',
  '810',
  '812',
  '815',
  '816',
  '822',
  '823',
  '824',
  '826',
] as const;

/**
 * A payout account as the bank's bulk-transfer file needs it: bank code (3 digits, a known bank),
 * branch code (4 digits), account number (8-16 digits) and the account holder's name (戶名). The
 * branch code and name are optional here for older clients, but a payout goes into a batch only
 * once all four are set.
 */
export const PayoutAccountInput = z.object({
  bankCode: z
    .string()
    .regex(/^\d{3}$/, 'a 3-digit bank code')
    .refine((c) => (TW_BANK_CODES as readonly string[]).includes(c), 'not a Taiwan bank code'),
  branchCode: z
    .string()
    .regex(/^\d{4}$/, 'a 4-digit branch code')
    .optional(),
  accountNumber: z.string().regex(/^\d{8,16}$/, '8-16 digits'),
  accountName: z.string().trim().min(1).max(50).regex(/\S/, 'blank').optional(),
});

export const Me = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  favoriteTeamId: z.string().nullable(),
  locale: Locale,
  emailNotifications: z.boolean(),
  role: z.enum(['user', 'admin']),
  emailVerified: z.boolean(),
  ratingAverage: z.number().nullable(),
  ratingCount: z.number().int(),
  payoutAccount: z.object({ bankCode: z.string(), accountMasked: z.string() }).nullable(),
});
export type Me = z.infer<typeof Me>;

export const UpdateMeBody = z.object({
  name: MemberName.optional(),
  favoriteTeamId: Id.nullable().optional(),
  locale: Locale.optional(),
  emailNotifications: z.boolean().optional(),
  payoutAccount: PayoutAccountInput.nullable().optional(),
});
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

export const AuthResult = z.object({ user: Me, token: z.string() });
export type AuthResult = z.infer<typeof AuthResult>;

export const PublicReview = z.object({
  rating: z.number().int(),
  comment: z.string().nullable(),
  createdAt: IsoTimestamp,
  buyerName: z.string(),
});

export const PublicUser = z.object({
  id: z.string(),
  name: z.string(),
  ratingAverage: z.number().nullable(),
  ratingCount: z.number().int(),
  completedSales: z.number().int(),
  memberSince: IsoTimestamp,
  reviews: z.array(PublicReview),
  reviewsNextCursor: z.string().nullable(),
});
export type PublicUser = z.infer<typeof PublicUser>;

export const TokenBody = z.object({ token: z.string().min(1).max(200) });
export const EmailBody = z.object({ email: z.string().max(254) });
export const ResetConfirmBody = z.object({ token: z.string().min(1).max(200), password: Password });
export const ChangePasswordBody = z.object({
  currentPassword: z.string().max(200),
  newPassword: Password,
});
export const ChangeEmailBody = z.object({ newEmail: Email, currentPassword: z.string().max(200) });
export const TotpLoginBody = z.object({
  challenge: z.string().min(1).max(2000),
  code: z.string().min(1).max(20),
});
export const TotpCodeBody = z.object({ code: z.string().min(1).max(20) });
export const TotpDisableBody = z.object({
  password: z.string().max(200),
  code: z.string().min(1).max(20),
});
export const PasswordBody = z.object({ password: z.string().max(200) });
export const Accepted = z.object({ status: z.literal('accepted') });

export const Session = z.object({
  id: z.string(),
  createdAt: IsoTimestamp,
  lastSeenAt: IsoTimestamp,
  userAgent: z.string().nullable(),
  /** The address rounded to its network (IPv4 /24, IPv6 /48). */
  ip: z.string().nullable(),
  current: z.boolean(),
});
export type Session = z.infer<typeof Session>;
export const SessionList = z.object({ items: z.array(Session) });
export const RevokedCount = z.object({ revoked: z.number().int() });

export const TotpStatus = z.object({
  enabled: z.boolean(),
  recoveryCodesRemaining: z.number().int(),
});
export type TotpStatus = z.infer<typeof TotpStatus>;
export const TotpSetup = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});
export type TotpSetup = z.infer<typeof TotpSetup>;
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

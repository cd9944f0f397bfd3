import { z } from 'zod';
import { Id, IsoTimestamp, Locale } from './common.ts';

export const Email = z.email().max(254);
export const Password = z.string().min(8, 'at least 8 characters').max(200);
export const UserName = z.string().trim().min(1).max(50);

export const RegisterBody = z.object({
  email: Email,
  password: Password,
  name: UserName,
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
  accountName: z.string().trim().min(1).max(50).optional(),
});

export const Me = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  favoriteTeamId: z.string().nullable(),
  locale: Locale,
  emailNotifications: z.boolean(),
  role: z.enum(['user', 'admin']),
  ratingAverage: z.number().nullable(),
  ratingCount: z.number().int(),
  payoutAccount: z.object({ bankCode: z.string(), accountMasked: z.string() }).nullable(),
});
export type Me = z.infer<typeof Me>;

export const UpdateMeBody = z.object({
  name: UserName.optional(),
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

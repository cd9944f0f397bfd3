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

export const PayoutAccountInput = z.object({
  bankCode: z.string().regex(/^\d{3}$/, 'a 3-digit bank code'),
  accountNumber: z.string().regex(/^\d{8,16}$/, '8-16 digits'),
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

// Reviews: the buyer of a completed order rates the seller once (docs/PRODUCT.md §2.5, §5 Orders and payments).
// Public reviews are read through GET /api/users/:id (accounts contract: PublicUser.reviews).
import { z } from 'zod';
import { IsoTimestamp } from './common.ts';

export const MAX_REVIEW_COMMENT_LENGTH = 500;

export const CreateReviewBody = z.object({
  rating: z.number().int().min(1).max(5).describe('1-5 stars'),
  /** Trimmed; an empty comment is stored as null. */
  comment: z
    .string()
    .trim()
    .max(MAX_REVIEW_COMMENT_LENGTH, `at most ${MAX_REVIEW_COMMENT_LENGTH} characters`)
    .nullish(),
});
export type CreateReviewBody = z.infer<typeof CreateReviewBody>;

export const Review = z.object({
  id: z.string(),
  orderId: z.string(),
  rating: z.number().int(),
  comment: z.string().nullable(),
  createdAt: IsoTimestamp,
});
export type Review = z.infer<typeof Review>;

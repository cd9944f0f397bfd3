// Rating a seller: the buyer of a completed order, once. The review, the seller's running rating
// and the seller's notification are written in one transaction.
import type { CreateReviewBody, Review } from '../../../../shared/contracts/reviews.ts';
import { isUniqueViolation, type Db } from '../../platform/db/dialect.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidState, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { addSellerRating } from '../accounts/index.ts';
import { notificationJob } from '../notifications/index.ts';
import * as repo from './reviews.repository.ts';

export interface ReviewsDeps {
  db: Db;
  clock: Clock;
}

const alreadyReviewed = () =>
  new AppError('ALREADY_REVIEWED', 'This order has already been reviewed');

export function createReviewsService(deps: ReviewsDeps) {
  const { db, clock } = deps;
  return {
    async createReview(
      buyerId: string,
      orderId: string,
      input: CreateReviewBody,
      requestId: string | null = null,
    ): Promise<Review> {
      const comment = input.comment?.trim() || null;
      const now = clock.now().toISOString();
      const row: repo.ReviewRow = {
        id: newId(),
        order_id: orderId,
        seller_id: '',
        buyer_id: buyerId,
        rating: input.rating,
        comment,
        created_at: now,
      };
      try {
        await db.transaction().execute(async (trx) => {
          const order = await repo.findOrderForReview(trx, orderId);
          // Someone else's order is indistinguishable from a missing one.
          if (!order || order.buyer_id !== buyerId) throw notFound('Order');
          if (order.status !== 'completed')
            throw invalidState('Only a completed order can be reviewed', { status: order.status });
          if (await repo.hasReview(trx, orderId)) throw alreadyReviewed();
          row.seller_id = order.seller_id;
          await repo.insertReview(trx, row);
          await addSellerRating(trx, order.seller_id, input.rating, now);
          const buyerName = await repo.findUserName(trx, buyerId);
          await notificationJob.enqueue(
            trx,
            {
              userId: order.seller_id,
              type: 'review_received',
              params: { orderId, reviewId: row.id, rating: input.rating, buyerName, comment },
              dedupeKey: `review:${orderId}`,
            },
            { requestId },
          );
        });
      } catch (err) {
        // Two submissions racing past the check: the unique key on reviews.order_id decides.
        if (isUniqueViolation(err)) throw alreadyReviewed();
        throw err;
      }
      return { id: row.id, orderId, rating: row.rating, comment, createdAt: now };
    },
  };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;

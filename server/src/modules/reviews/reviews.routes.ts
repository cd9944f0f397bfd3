import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import { CreateReviewBody, Review } from '../../../../shared/contracts/reviews.ts';
import { requireUser, SIGNED_IN } from '../accounts/index.ts';
import type { ReviewsService } from './reviews.service.ts';

export interface ReviewsRoutesOptions {
  reviews: ReviewsService;
}

export const reviewsRoutes: FastifyPluginAsyncZod<ReviewsRoutesOptions> = async (app, opts) => {
  const { reviews } = opts;
  app.post(
    '/api/orders/:id/review',
    {
      schema: {
        operationId: 'reviewSeller',
        errors: ['INVALID_STATE', 'ALREADY_REVIEWED'],
        tags: ['orders'],
        security: SIGNED_IN,
        summary: 'Rate the seller of a completed order (buyer only, once)',
        params: IdParams,
        body: CreateReviewBody,
        response: { 201: Review },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const review = await reviews.createReview(
        user.id,
        request.params.id,
        request.body,
        request.id,
      );
      return reply.status(201).send(review);
    },
  );
};

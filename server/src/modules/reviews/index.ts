// What other modules may import from reviews.
export { createReviewsService, type ReviewsService } from './reviews.service.ts';
export { reviewsRoutes } from './reviews.routes.ts';
export { findReviewsOfOrders } from './reviews.repository.ts';
export { exportReviewsOfUser } from './reviews.privacy.ts';

// What other modules may import from reservations.
export {
  createReservationsService,
  registerReservationJobs,
  canonicalCriteria,
  criteriaKey,
  LISTING_PUBLISHED_JOB,
  ListingPublishedPayload,
  FANOUT_BATCH,
  type ReservationsService,
} from './reservations.service.ts';
export { reservationsRoutes } from './reservations.routes.ts';

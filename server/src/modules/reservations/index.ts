// What other modules may import from reservations.
export {
  createReservationsService,
  criteriaKey,
  listingPublishedJob,
  reservationCreatedJob,
  type ReservationsService,
} from './reservations.service.ts';
export { reservationsRoutes } from './reservations.routes.ts';
export {
  endReservationsOfUser,
  exportReservationsOfUser,
  exportTeamReservationsOfUser,
} from './reservations.privacy.ts';

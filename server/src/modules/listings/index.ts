// What other modules may import from listings.
export type {
  ListingDto,
  ListingStatus,
  ListingSummaryDto,
} from '../../../../shared/contracts/listings.ts';
export {
  findListingDetails,
  findActiveListingIdsOfSeller,
  findImagesOfListings,
  type ListingDetailRow,
  type ListingRow,
} from './listings.repository.ts';
export { listingsRoutes } from './listings.routes.ts';
export {
  LISTING_TRANSITIONS,
  assertListingTransition,
  canListingTransition,
  effectiveStatus,
  hasGameStarted,
  isGameOnSale,
  statusAfterRelease,
  type GameTiming,
} from './listing-state.ts';
export {
  gameListingsCacheNamespace,
  invalidateListingCaches,
  listingCacheNamespace,
  type ListingLifecycle,
  type ListingRef,
} from './listings.lifecycle.ts';
export {
  createListingsService,
  loadListingDtos,
  toListingDto,
  type ListingsService,
} from './listings.service.ts';

// What other modules may import from listings.
export type {
  ListingDto,
  ListingStatus,
  ListingSummaryDto,
} from '../../../../shared/contracts/listings.ts';
export {
  findListingDetails,
  findListingForUpdate,
  findImagesOfListings,
  type GameTiming,
  type ListingDetailRow,
  type ListingRow,
} from './listings.repository.ts';
export { listingsRoutes } from './listings.routes.ts';
export {
  EXPIRE_STARTED_JOB,
  LISTING_PUBLISHED_JOB,
  createListingsService,
  effectiveStatus,
  gameListingsCacheNamespace,
  hasGameStarted,
  invalidateListingCaches,
  listingCacheNamespace,
  loadListingDtos,
  toListingDto,
  type ListingsService,
} from './listings.service.ts';

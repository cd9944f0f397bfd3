// What other modules may import from listings.
export type {
  ListingDto,
  ListingStatus,
  ListingSummaryDto,
} from '../../../../shared/contracts/listings.ts';
export {
  canSellSql,
  findActiveListingIdsOfSeller,
  lockOpenListingsOfSeller,
  findListingDetails,
  findImagesOfListings,
  newListingRow,
  type ListingDetailRow,
  type ListingRow,
  type NewListingFields,
} from './listings.repository.ts';
export { listingsRoutes } from './listings.routes.ts';
export {
  gameListingsCacheNamespace,
  listingCacheNamespace,
  type ListingLifecycle,
} from './listings.lifecycle.ts';
export {
  createListingsService,
  loadListingDtos,
  toListingDto,
  type ListingsService,
} from './listings.service.ts';
export { exportListingsOfSeller } from './listings.privacy.ts';
// The photo pipeline (sniff, re-encode, strip metadata), reused for private order photos.
export { deletePhotos, processPhoto, storePhotos, type ProcessedPhoto } from './photos.ts';

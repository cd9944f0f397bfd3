// Response and request types the web app reads, all `import type` from shared/contracts/ (types
// only: the home page must not pull zod into its bundle).
export type { Me, PublicUser, AuthResult } from '../../../shared/contracts/accounts.ts';
export type {
  Team,
  SeatArea,
  StadiumRef,
  Stadium,
  GameStatus,
  GameSummary as Game,
  GameDetail,
  Meta,
  SearchResult,
} from '../../../shared/contracts/catalog.ts';
export type {
  DeliveryMethod,
  ListingStatus,
  ListingSort,
  ListingSeller as SellerSummary,
  ListingDto as Listing,
  ListingSummaryDto as ListingSummary,
  ListingGame,
  GameListingsPage,
  MyListingsPage,
  PriceSummary,
  CreateListingBody,
  BulkListingsResult,
} from '../../../shared/contracts/listings.ts';
export type {
  NotificationItem as AppNotification,
  NotificationPage,
} from '../../../shared/contracts/notifications.ts';
export type {
  Reservation,
  ReservationPage,
  CreateReservationBody,
  TeamReservation,
  TeamReservationList,
} from '../../../shared/contracts/reservations.ts';
export type {
  Order,
  OrderSummary,
  OrderStatus,
  OrderPage,
  TimelineEntry,
  PayResult,
  PaymentsConfig,
  PayBody,
  HandoverRecipient,
  SellerScorecard,
  DisputeReason,
  DisputePhoto,
} from '../../../shared/contracts/orders.ts';
export type {
  TrendingItem,
  TrendingList,
  MarketStats,
} from '../../../shared/contracts/trending.ts';
export type {
  Recommendation,
  Recommendations as RecommendationsResult,
  RecommendationReason,
} from '../../../shared/contracts/recommendations.ts';
export type {
  AdminOrder,
  AdminPayout,
  AdminGameResult,
  AdminDispute,
  AdminListing,
  AdminUser,
  HandoverHealth,
  PartyRecord,
} from '../../../shared/contracts/admin.ts';
export type { SellerEarnings, SellerSale } from '../../../shared/contracts/payouts.ts';
export type { GameChange, SyncStatus } from '../../../shared/contracts/schedule.ts';
export type { Review, CreateReviewBody } from '../../../shared/contracts/reviews.ts';

import type { PriceSummary } from '../../../shared/contracts/listings.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type AreaPrice = PriceSummary['items'][number];
export type { StadiumMap } from '../../../shared/contracts/stadium-maps.ts';
export type { HandoverMethod, HandoverRecipientKind } from '../../../shared/contracts/handover.ts';
export type {
  Conversation,
  OrderMessage,
  MarkReadResult,
} from '../../../shared/contracts/conversations.ts';

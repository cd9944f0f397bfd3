// Recommendations ("為你推薦", docs/PRODUCT.md §2.9, §5 Catalogue).
//
// Decisions the original contract left open (docs/PRODUCT.md §2.9 and §8 state them):
// - Items are listings (the listing page's view, `Listing`), at most 3 per game, never the
//   caller's own, never sold/held, never of a game that has started.
// - `reasons` are stable codes, most important first (1-3 per item); the web app translates them
//   (RECOMMENDATION_REASON_LABELS).
// - `requestId` identifies this answer; impressions and clicks are logged against it.
// - A click on an unknown (requestId, listingId) pair — one never shown — is 404 NOT_FOUND; a
//   repeated click is accepted (204) and counted once.
import { z } from 'zod';
import { Id } from './common.ts';
import { Listing } from './listings.ts';
import { RECOMMENDATION_REASONS } from './vocabulary.ts';

export const MAX_RECOMMENDATIONS = 20;

export const RecommendationReason = z.enum(RECOMMENDATION_REASONS);
export type RecommendationReason = z.infer<typeof RecommendationReason>;

export const RECOMMENDATION_REASON_LABELS: Record<
  RecommendationReason,
  { 'zh-TW': string; en: string }
> = {
  favorite_team: { 'zh-TW': '你的主隊', en: 'Your team' },
  reserved_game: { 'zh-TW': '你預約過', en: 'You reserved this game' },
  team_history: { 'zh-TW': '你常看的球隊', en: 'A team you often watch' },
  popular: { 'zh-TW': '熱門', en: 'Popular' },
  price_fit: { 'zh-TW': '符合你的價位', en: 'In your price range' },
  seat_area: { 'zh-TW': '你常坐的區域', en: 'Seats like yours' },
  top_seller: { 'zh-TW': '高評價賣家', en: 'Top-rated seller' },
  soon: { 'zh-TW': '近期開打', en: 'Coming up soon' },
  below_face: { 'zh-TW': '低於票面', en: 'Below face value' },
};

export const RecommendationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_RECOMMENDATIONS).default(10),
});
export type RecommendationsQuery = z.infer<typeof RecommendationsQuery>;

export const Recommendation = z.object({
  listing: Listing,
  score: z.number().min(0).max(1).describe('weighted sum of normalised features'),
  reasons: z.array(RecommendationReason).min(1),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const Recommendations = z.object({
  requestId: z.string(),
  items: z.array(Recommendation),
});
export type Recommendations = z.infer<typeof Recommendations>;

export const RecommendationClickBody = z.object({ requestId: Id, listingId: Id });
export type RecommendationClickBody = z.infer<typeof RecommendationClickBody>;

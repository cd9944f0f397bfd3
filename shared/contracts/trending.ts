// Trending games and market stats (docs/PRODUCT.md §2.8, §5 Catalogue).
//
// Decisions the original contract left open (docs/PRODUCT.md §2.8 states them):
// - "Last 7 days" is the last seven calendar days in Asia/Taipei: today and the six days before,
//   from 00:00 Taiwan time. Traded means an order that reached `paid` and is now paid, delivered
//   or completed (refunded and disputed orders are not counted).
// - Trending score = Σ quantity × e^(−λ·ageDays) over those orders (half-life 2 days)
//   + 0.5 × active reservations of the game. Only scheduled games that have not started rank;
//   games with neither demand nor tickets for sale are left out.
// - teamShare counts a ticket for both teams of its game (the home and the away team), so the
//   teams' tickets add up to twice ticketsTraded; a chart shows each team's part of that sum.
import { z } from 'zod';
import { GameSummary } from './catalog.ts';
import { LocalDate, Twd } from './common.ts';

export const MAX_TRENDING = 20;

export const TrendingQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_TRENDING).default(10),
});
export type TrendingQuery = z.infer<typeof TrendingQuery>;

export const TrendingItem = z.object({
  game: GameSummary,
  score: z.number().nonnegative().describe('time-decayed demand; higher is hotter'),
  soldTickets7d: z.number().int().nonnegative(),
  activeListings: z.number().int().nonnegative(),
  medianPrice: Twd.nullable().describe('median sold price per ticket over all its trades'),
});
export type TrendingItem = z.infer<typeof TrendingItem>;

export const TrendingList = z.object({ items: z.array(TrendingItem) });
export type TrendingList = z.infer<typeof TrendingList>;

export const TeamShare = z.object({
  teamId: z.string(),
  tickets: z.number().int().nonnegative().describe('tickets traded for games this team played'),
});

export const TopGameMedian = z.object({
  gameId: z.string(),
  /** "05/09 樂天 vs 兄弟": away team first, as CPBL writes it (zh-TW short names). */
  label: z.string(),
  localDate: LocalDate,
  homeTeamId: z.string(),
  awayTeamId: z.string(),
  medianPrice: Twd,
});

export const MarketStats = z.object({
  ticketsTraded: z.number().int().nonnegative(),
  amountTraded: Twd,
  ticketsTraded7d: z.number().int().nonnegative(),
  amountTraded7d: Twd,
  /** Every team, most tickets first. */
  teamShare: z.array(TeamShare),
  /** Median sold price of the (up to 5) top trending games that have trades. */
  topGamesMedian: z.array(TopGameMedian),
});
export type MarketStats = z.infer<typeof MarketStats>;

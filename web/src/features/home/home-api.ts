// The catalogue's reads the home page and the game pickers share: teams and the games of a
// range, plus the home page's sections (trending, market, recommendations). One factory per query:
// its key and its request live together (TanStack Query's `queryOptions`).
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  Game,
  MarketStats,
  RecommendationsResult,
  Team,
  TrendingItem,
} from '../../api/types.ts';

const fetchTeams = () => api<{ items: Team[] }>('/api/teams');

const fetchGames = (from: string, to: string, teamId?: string) =>
  api<{ items: Game[] }>('/api/games', { query: { from, to, teamId } });

/** Every games query starts with this key: a listing or a game change invalidates them all. */
export const GAMES_KEY = ['games'] as const;

export const teamsQuery = queryOptions({
  queryKey: ['teams'],
  queryFn: fetchTeams,
  staleTime: Infinity,
});

/** The games from `from` to `to` (local dates), of one team or of all (''). */
export const gamesQuery = (from: string, to: string, teamId = '') =>
  queryOptions({
    queryKey: [...GAMES_KEY, from, to, teamId],
    queryFn: () => fetchGames(from, to, teamId || undefined),
  });

/**
 * The games of a range for a calendar that keeps showing the previous range's games while the next
 * range loads. `switching` is true only then (or before the first answer). A refresh in the
 * background, after a live event or a return to the tab, is not switching: the days shown are
 * still right, so the calendar stays as it is (marking it busy on every new listing made it
 * flicker).
 */
export function useGamesOfRange(from: string, to: string, teamId = '') {
  const games = useQuery({ ...gamesQuery(from, to, teamId), placeholderData: keepPreviousData });
  return { games, switching: games.isPending || games.isPlaceholderData };
}

// The sections below hide themselves when their request fails: the calendar matters more.
export const trendingQuery = queryOptions({
  queryKey: ['trending'],
  queryFn: () => api<{ items: TrendingItem[] }>('/api/trending', { query: { limit: 8 } }),
});

export const statsQuery = queryOptions({
  queryKey: ['stats'],
  queryFn: () => api<MarketStats>('/api/stats'),
});

/** Recommendations differ per reader: the key holds who asks (null for a visitor). */
export const recommendationsQuery = (userId: string | null) =>
  queryOptions({
    queryKey: ['recommendations', userId],
    queryFn: () => api<RecommendationsResult>('/api/recommendations', { query: { limit: 6 } }),
  });

export function logRecommendationClick(requestId: string, listingId: string) {
  void api('/api/recommendations/click', {
    method: 'POST',
    body: { requestId, listingId },
  }).catch(() => {});
}

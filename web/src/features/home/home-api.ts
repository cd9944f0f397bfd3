import { api, apiOptional } from '../../api/client.ts';
import type {
  Game,
  MarketStats,
  RecommendationsResult,
  Team,
  TrendingItem,
} from '../../api/types.ts';

export const fetchTeams = () => api<{ items: Team[] }>('/api/teams');

export const fetchGames = (from: string, to: string, teamId?: string) =>
  api<{ items: Game[] }>('/api/games', { query: { from, to, teamId } });

export const teamsQuery = { queryKey: ['teams'], queryFn: fetchTeams, staleTime: Infinity };

/** The games of the calendar grid from `from` to `to`, of one team or of all (''). */
export const gamesQuery = (from: string, to: string, teamId: string) => ({
  queryKey: ['games', from, to, teamId],
  queryFn: () => fetchGames(from, to, teamId || undefined),
});

// The sections below hide themselves while their endpoints do not exist yet (404 → null).
export const fetchTrending = () =>
  apiOptional<{ items: TrendingItem[] }>('/api/trending', { query: { limit: 8 } });
export const fetchStats = () => apiOptional<MarketStats>('/api/stats');
export const fetchRecommendations = () =>
  apiOptional<RecommendationsResult>('/api/recommendations', { query: { limit: 6 } });

export function logRecommendationClick(requestId: string, listingId: string) {
  void api('/api/recommendations/click', {
    method: 'POST',
    body: { requestId, listingId },
  }).catch(() => {});
}

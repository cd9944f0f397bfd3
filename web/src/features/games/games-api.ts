// A game's reads: the game, its going prices and its tickets (with the page's URL filters).
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { LISTING_SORTS } from '../../../../shared/contracts/vocabulary.ts';
import { api } from '../../api/client.ts';
import type { GameDetail, GameListingsPage, ListingSort, PriceSummary } from '../../api/types.ts';

export const gameQuery = (id: string) =>
  queryOptions({
    queryKey: ['game', id],
    queryFn: () => api<GameDetail>(`/api/games/${encodeURIComponent(id)}`),
  });

/** The going prices per area; with `quantity`, of listings that can sell that many together. */
export const priceSummaryQuery = (id: string, quantity?: number) =>
  queryOptions({
    queryKey: ['price-summary', id, quantity ?? null],
    queryFn: () =>
      api<PriceSummary>(`/api/games/${encodeURIComponent(id)}/price-summary`, {
        query: { quantity },
      }),
  });

export interface ListingFilters {
  sort: ListingSort;
  areaId?: string;
  minPrice?: number;
  maxPrice?: number;
  quantity?: number;
}

/**
 * How often an open game page asks again for its tickets and going prices while the game is on
 * sale (issue 21 item 7): a viewer who is not signed in (or has no alert, so gets no live event)
 * still sees a new listing arrive. Cheap: the answers carry an ETag and max-age=0, so an unchanged
 * list is a 304; a hidden tab does not poll.
 */
export const GAME_POLL_MS = 30_000;

/** A game's ticket lists, whatever their filters (a new listing invalidates them). */
export const gameListingsKey = (id: string) => ['game-listings', id] as const;

/** The game page's ticket list (shared with the prefetch that starts it early). */
export const gameListingsQuery = (id: string, filters: ListingFilters) =>
  infiniteQueryOptions({
    queryKey: [...gameListingsKey(id), filters],
    queryFn: ({ pageParam }) =>
      api<GameListingsPage>(`/api/games/${encodeURIComponent(id)}/listings`, {
        query: { ...filters, limit: 20, cursor: pageParam ?? undefined },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

function wholeNumber(value: string | null) {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The ticket filters of a game page URL (`?sort=&area=&min=&max=&qty=`). */
export function filtersFromParams(params: URLSearchParams): ListingFilters {
  const sort = params.get('sort') as ListingSort;
  return {
    sort: LISTING_SORTS.includes(sort) ? sort : 'price',
    areaId: params.get('area') || undefined,
    minPrice: wholeNumber(params.get('min')),
    maxPrice: wholeNumber(params.get('max')),
    quantity: wholeNumber(params.get('qty')),
  };
}

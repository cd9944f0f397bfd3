import { LISTING_SORTS } from '../../../../shared/contracts/vocabulary.ts';
import { api, apiOptional } from '../../api/client.ts';
import type { GameDetail, GameListingsPage, ListingSort, PriceSummary } from '../../api/types.ts';

export const fetchGame = (id: string) => api<GameDetail>(`/api/games/${encodeURIComponent(id)}`);

export const fetchPriceSummary = (id: string) =>
  apiOptional<PriceSummary>(`/api/games/${encodeURIComponent(id)}/price-summary`);

export interface ListingFilters {
  sort: ListingSort;
  areaId?: string;
  minPrice?: number;
  maxPrice?: number;
  quantity?: number;
}

export const fetchGameListings = (id: string, filters: ListingFilters, cursor?: string) =>
  api<GameListingsPage>(`/api/games/${encodeURIComponent(id)}/listings`, {
    query: { ...filters, limit: 20, cursor },
  });

/** The game page's ticket list query (shared with the prefetch that starts it early). */
export function gameListingsQuery(id: string, filters: ListingFilters) {
  return {
    queryKey: ['game-listings', id, filters] as const,
    queryFn: ({ pageParam }: { pageParam: string | null }) =>
      fetchGameListings(id, filters, pageParam ?? undefined),
    initialPageParam: null as string | null,
    getNextPageParam: (last: GameListingsPage) => last.nextCursor,
  };
}

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

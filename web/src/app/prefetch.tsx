// Starts a page's main requests while its code chunk is still downloading, instead of after.
// During render on purpose (usePrefetchQuery): the page below suspends until its chunk arrives,
// so an effect here would only run afterwards. A query already in the cache is left alone.
import { usePrefetchInfiniteQuery, usePrefetchQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useParams, useSearchParams } from 'react-router';
import {
  filtersFromParams,
  gameListingsQuery,
  gameQuery,
  priceSummaryQuery,
} from '../features/games/games-api.ts';
import { listingQuery } from '../features/listings/listings-api.ts';

export function PrefetchGame({ children }: { children: ReactNode }) {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  usePrefetchQuery(gameQuery(id));
  usePrefetchQuery(priceSummaryQuery(id));
  usePrefetchInfiniteQuery(gameListingsQuery(id, filtersFromParams(params)));
  return <>{children}</>;
}

export function PrefetchListing({ children }: { children: ReactNode }) {
  const { id = '' } = useParams();
  usePrefetchQuery(listingQuery(id));
  return <>{children}</>;
}

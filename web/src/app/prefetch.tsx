// Starts a page's main request while its code chunk is still downloading, instead of after.
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
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
  const qc = useQueryClient();
  const query = params.toString();
  // During render on purpose: the page below suspends until its chunk arrives, so an effect here
  // would only run afterwards. Prefetches de-duplicate and never throw.
  useMemo(() => {
    void qc.prefetchQuery(gameQuery(id));
    void qc.prefetchQuery(priceSummaryQuery(id));
    void qc.prefetchInfiniteQuery(
      gameListingsQuery(id, filtersFromParams(new URLSearchParams(query))),
    );
  }, [qc, id, query]);
  return <>{children}</>;
}

export function PrefetchListing({ children }: { children: ReactNode }) {
  const { id = '' } = useParams();
  const qc = useQueryClient();
  useMemo(() => void qc.prefetchQuery(listingQuery(id)), [qc, id]);
  return <>{children}</>;
}

// Listings: one listing, the seller's own.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Listing, ListingStatus, MyListingsPage } from '../../api/types.ts';

export const MY_LISTINGS_KEY = ['my-listings'] as const;

export const listingQuery = (id: string) =>
  queryOptions({
    queryKey: ['listing', id],
    queryFn: () => api<Listing>(`/api/listings/${encodeURIComponent(id)}`),
  });

/** The seller's listings, of one status or of all (''). */
export const myListingsQuery = (status: ListingStatus | '') =>
  queryOptions({
    queryKey: [...MY_LISTINGS_KEY, status],
    queryFn: () =>
      api<MyListingsPage>('/api/me/listings', {
        query: { status: status || undefined, limit: 50 },
      }),
  });

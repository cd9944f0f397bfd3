// What a live notification changes on screen (issue 21 item 7): a reservation_match means a
// listing has just gone on sale, so a game page showing "No tickets yet", the calendar's counts
// and the going prices are fetched again (only the queries on screen refetch; others go stale).
import type { QueryClient } from '@tanstack/react-query';
import type { AppNotification } from '../../api/types.ts';

export const REFRESHED_BY_NEW_LISTING = [['game-listings'], ['game'], ['games'], ['price-summary']];

/**
 * The edge keeps these answers up to 1 s (deploy/nginx.conf's microcache), and the alert can
 * arrive within that second of the listing: they are fetched again once this long after the
 * first refetch (a 304 when nothing changed).
 */
export const EDGE_CACHE_SETTLE_MS = 1_500;

/** An order_message: the open conversation panel (its query key) fetches the new message. */
export const REFRESHED_BY_ORDER_MESSAGE = ['order-messages'];

export function refreshAfterNotification(qc: QueryClient, item: Pick<AppNotification, 'type'>) {
  if (item.type === 'order_message') {
    void qc.invalidateQueries({ queryKey: REFRESHED_BY_ORDER_MESSAGE });
    return;
  }
  if (item.type !== 'reservation_match') return;
  const refetch = () => {
    for (const queryKey of REFRESHED_BY_NEW_LISTING) void qc.invalidateQueries({ queryKey });
  };
  refetch();
  setTimeout(refetch, EDGE_CACHE_SETTLE_MS);
}

// What a live notification changes on screen (issue 21 item 7): a reservation_match means a
// listing has just gone on sale, so a game page showing "No tickets yet", the calendar's counts
// and the going prices are fetched again (only the queries on screen refetch; others go stale).
import type { QueryClient } from '@tanstack/react-query';
import type { AppNotification } from '../../api/types.ts';

export const REFRESHED_BY_NEW_LISTING = [['game-listings'], ['game'], ['games'], ['price-summary']];

/** An order_message: the open conversation panel (its query key) fetches the new message. */
export const REFRESHED_BY_ORDER_MESSAGE = ['order-messages'];

export function refreshAfterNotification(qc: QueryClient, item: Pick<AppNotification, 'type'>) {
  if (item.type === 'order_message') {
    void qc.invalidateQueries({ queryKey: REFRESHED_BY_ORDER_MESSAGE });
    return;
  }
  if (item.type !== 'reservation_match') return;
  for (const queryKey of REFRESHED_BY_NEW_LISTING) void qc.invalidateQueries({ queryKey });
}

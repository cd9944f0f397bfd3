// A live reservation_match refreshes the game page's empty ticket list and the calendar counts;
// other notifications leave them alone.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { refreshAfterNotification } from './live-refresh.ts';

function client() {
  const qc = new QueryClient();
  qc.setQueryData(['game-listings', 'g1', { sort: 'price' }], { pages: [{ items: [] }] });
  qc.setQueryData(['games', '2026-12-01', '2026-12-31', ''], { items: [] });
  qc.setQueryData(['game', 'g1'], { listingCount: 0 });
  qc.setQueryData(['my-orders'], { items: [] });
  return qc;
}
const stale = (qc: QueryClient, key: unknown[]) => qc.getQueryState(key)?.isInvalidated;

describe('live refresh', () => {
  it('when a ticket alert matches, then the ticket lists, the game and the calendar are refetched', () => {
    const qc = client();
    refreshAfterNotification(qc, { type: 'reservation_match' });
    expect(stale(qc, ['game-listings', 'g1', { sort: 'price' }])).toBe(true);
    expect(stale(qc, ['games', '2026-12-01', '2026-12-31', ''])).toBe(true);
    expect(stale(qc, ['game', 'g1'])).toBe(true);
    expect(stale(qc, ['my-orders'])).toBe(false);
  });

  it('when another notification arrives, then nothing is refetched', () => {
    const qc = client();
    refreshAfterNotification(qc, { type: 'order_paid' });
    expect(stale(qc, ['game-listings', 'g1', { sort: 'price' }])).toBe(false);
  });

  it('when the other party writes on an order, then that conversation is refetched and game pages are not', () => {
    const qc = client();
    qc.setQueryData(['order-messages', 'o1'], { messages: [] });
    refreshAfterNotification(qc, { type: 'order_message' });
    expect(stale(qc, ['order-messages', 'o1'])).toBe(true);
    expect(stale(qc, ['game', 'g1'])).toBe(false);
  });
});

// A live reservation_match refreshes the game page's empty ticket list and the calendar counts;
// other notifications leave them alone.
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EDGE_CACHE_SETTLE_MS, refreshAfterNotification } from './live-refresh.ts';

function client() {
  const qc = new QueryClient();
  qc.setQueryData(['game-listings', 'g1', { sort: 'price' }], { pages: [{ items: [] }] });
  qc.setQueryData(['games', '2026-12-01', '2026-12-31', ''], { items: [] });
  qc.setQueryData(['game', 'g1'], { listingCount: 0 });
  qc.setQueryData(['my-orders'], { items: [] });
  return qc;
}
const stale = (qc: QueryClient, key: unknown[]) => qc.getQueryState(key)?.isInvalidated;

afterEach(() => {
  vi.useRealTimers();
});

describe('live refresh', () => {
  it('when a ticket alert matches, then the ticket lists, the game and the calendar are refetched', () => {
    const qc = client();
    refreshAfterNotification(qc, { type: 'reservation_match' });
    expect(stale(qc, ['game-listings', 'g1', { sort: 'price' }])).toBe(true);
    expect(stale(qc, ['games', '2026-12-01', '2026-12-31', ''])).toBe(true);
    expect(stale(qc, ['game', 'g1'])).toBe(true);
    expect(stale(qc, ['my-orders'])).toBe(false);
  });

  it("when a ticket alert matches, then they are fetched again once the edge's 1 s copy has expired", () => {
    vi.useFakeTimers();
    const qc = client();
    refreshAfterNotification(qc, { type: 'reservation_match' });
    // The first refetch came back (possibly the edge's copy from before the listing).
    qc.setQueryData(['game', 'g1'], { listingCount: 0 });
    expect(stale(qc, ['game', 'g1'])).toBe(false);
    vi.advanceTimersByTime(EDGE_CACHE_SETTLE_MS - 1);
    expect(stale(qc, ['game', 'g1'])).toBe(false);
    vi.advanceTimersByTime(1);
    expect(stale(qc, ['game', 'g1'])).toBe(true);
    expect(EDGE_CACHE_SETTLE_MS).toBeGreaterThan(1_000);
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

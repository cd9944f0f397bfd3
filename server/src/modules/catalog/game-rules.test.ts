// The on-sale rule's clock: until when a cached "on sale" answer stays true by itself.
import { describe, expect, it } from 'vitest';
import { GAME_STATUSES } from '../../../../shared/contracts/vocabulary.ts';
import { isGameOnSale, onSaleUntil } from './game-rules.ts';

const now = new Date('2026-07-01T10:00:00Z');
const ahead = '2026-07-01T10:35:00.000Z';
const past = '2026-07-01T09:35:00.000Z';

describe('onSaleUntil', () => {
  it('is first pitch for a scheduled game ahead, the moment it goes off sale', () => {
    const game = { status: 'scheduled' as const, starts_at: ahead };
    expect(onSaleUntil(game, now)).toBe(Date.parse(ahead));
    expect(isGameOnSale(game, new Date(Date.parse(ahead) - 1))).toBe(true);
    expect(isGameOnSale(game, new Date(Date.parse(ahead)))).toBe(false);
  });

  it('is never for a game off sale, whatever its status or start', () => {
    for (const status of GAME_STATUSES) {
      expect(onSaleUntil({ status, starts_at: past }, now)).toBeNull();
      if (status !== 'scheduled') expect(onSaleUntil({ status, starts_at: ahead }, now)).toBeNull();
    }
  });
});

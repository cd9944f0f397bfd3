import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketStats } from '../../../../shared/contracts/trending.ts';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import { DAY, HOUR, manualClock } from '../../shared/clock.ts';
import {
  createGame,
  farEpoch,
  insertOrder,
  insertUser,
  type TestGame,
} from '../../../test/factories/index.ts';

// Centuries back, on a database of its own: the top games median ranks every game in the database,
// and on the run's shared MariaDB database other files' games could push this file's out of it.
const clock = manualClock(farEpoch('past'));
let t: Awaited<ReturnType<typeof buildPrivateTestApp>>;
beforeAll(async () => {
  t = await buildPrivateTestApp({ clock });
});
afterAll(async () => t.close());

const at = (msFromNow: number) => new Date(clock.now().getTime() + msFromNow);

describe('market stats', () => {
  it('when orders were traded, then the sums, the week, the team shares and the top games medians are exact', async () => {
    const seller = await insertUser(t);
    const buyer = await insertUser(t);
    const p = await createGame(t, {
      startsAt: at(3 * DAY),
      homeTeamId: 'ACN011',
      awayTeamId: 'ADD011',
    });
    const q = await createGame(t, {
      startsAt: at(5 * DAY),
      homeTeamId: 'AJL011',
      awayTeamId: 'AEO011',
    });
    const order = (
      game: TestGame,
      quantity: number,
      unitPrice: number,
      paidAt: Date | null,
      status:
        'paid' | 'delivered' | 'completed' | 'refunded' | 'pending_payment' | 'disputed' = 'paid',
    ) =>
      insertOrder(t, {
        gameId: game.id,
        buyerId: buyer,
        sellerId: seller,
        areaId: game.areas[0]!.id,
        quantity,
        unitPrice,
        paidAt,
        status,
      });
    await order(p, 2, 500, at(-1 * DAY));
    await order(p, 3, 400, at(-20 * DAY), 'completed');
    await order(p, 1, 600, at(-2 * DAY), 'delivered');
    await order(p, 4, 300, at(-30 * DAY), 'completed');
    await order(p, 5, 900, at(-1 * DAY), 'refunded');
    await order(p, 2, 900, at(-1 * DAY), 'disputed');
    await order(p, 2, 900, null, 'pending_payment');
    await order(q, 1, 800, at(-3 * HOUR));
    await order(q, 7, 800, at(2 * DAY)); // after now: not yet

    const res = await t.app.inject({ method: 'GET', url: '/api/stats' });
    expect(res.statusCode).toBe(200);
    const stats = MarketStats.parse(res.json());
    expect(stats).toMatchObject({
      ticketsTraded: 11,
      amountTraded: 1000 + 1200 + 600 + 1200 + 800,
      ticketsTraded7d: 4,
      amountTraded7d: 1000 + 600 + 800,
    });
    expect(stats.teamShare).toEqual([
      { teamId: 'ACN011', tickets: 10 },
      { teamId: 'ADD011', tickets: 10 },
      { teamId: 'AEO011', tickets: 1 },
      { teamId: 'AJL011', tickets: 1 },
      { teamId: 'AAA011', tickets: 0 },
      { teamId: 'AKP011', tickets: 0 },
    ]);
    const tops = stats.topGamesMedian.filter((g) => g.gameId === p.id || g.gameId === q.id);
    expect(tops.map((g) => [g.gameId, g.medianPrice])).toEqual([
      [p.id, 450],
      [q.id, 800],
    ]);
    expect(tops[0]!.label).toMatch(/^\d\d\/\d\d 統一獅 vs 兄弟$/);
  });
});

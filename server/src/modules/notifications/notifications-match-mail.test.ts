// Ticket alerts by e-mail: at most one per fan and game every MATCH_MAIL_EVERY_MS
// (notifications.mail-throttle.ts), while the bell gets every match; exact when fan-outs of one
// game run at the same time (the worker runs four jobs at once; on MariaDB they really overlap).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import { MINUTE, manualClock } from '../../shared/clock.ts';
import {
  createGame,
  insertListing,
  insertReservations,
  insertUsers,
  jobCtx,
  mailJobsFor,
  notificationsOf,
  registerUser,
  type TestGame,
} from '../../../test/factories/index.ts';
import {
  MATCH_MAIL_EVERY_MS,
  pruneMatchMailMarks,
  throttleMatchMails,
} from './notifications.mail-throttle.ts';

let t: TestApp;
const clock = manualClock(new Date());
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

const publish = (listingId: string) =>
  t.deps.reservations.handleListingPublished({ listingId }, jobCtx());

/** `n` fans (e-mail on) each reserving `game` (any seat, any price). */
async function reservers(game: TestGame, n: number) {
  const fans = await insertUsers(
    t,
    Array.from({ length: n }, () => ({ email_notifications: 1 })),
  );
  await insertReservations(
    t,
    fans.map((userId) => ({ userId, gameId: game.id, areaIds: [] })),
  );
  return fans;
}

async function listings(game: TestGame, n: number) {
  const [seller] = await insertUsers(t, [{}]);
  return Promise.all(
    Array.from({ length: n }, () =>
      insertListing(t, { gameId: game.id, sellerId: seller!, areaId: game.areas[0]!.id }),
    ),
  );
}

/** Per fan: how many match notifications, and how many of them have a mail job. */
async function told(fans: string[]) {
  const rows = (await notificationsOf(t, fans)).filter((r) => r.type === 'reservation_match');
  const jobs = await mailJobsFor(
    t,
    rows.map((r) => r.id),
  );
  const userOf = new Map(rows.map((r) => [r.id, r.user_id]));
  const count = (ids: (string | undefined)[]) => {
    const per = new Map(fans.map((f) => [f, 0]));
    for (const id of ids) if (id) per.set(id, per.get(id)! + 1);
    return per;
  };
  return {
    bell: count(rows.map((r) => r.user_id)),
    mail: count(jobs.map((j) => userOf.get(JSON.parse(j.payload as string).notificationId))),
  };
}

const all = (per: Map<string, number>, n: number) => [...per.values()].every((v) => v === n);

describe('ticket-alert e-mail, one per fan and game per window', () => {
  it('when three listings of one game match within the window, then the bell rings three times and one e-mail is queued; another game gets its own', async () => {
    const [game, other] = [await createGame(t), await createGame(t)];
    const fans = await reservers(game, 3);
    await insertReservations(
      t,
      fans.map((userId) => ({ userId, gameId: other.id, areaIds: [] })),
    );
    for (const l of await listings(game, 3)) {
      await publish(l);
      clock.advance(5 * MINUTE);
    }
    const first = await told(fans);
    expect(all(first.bell, 3)).toBe(true);
    expect(all(first.mail, 1)).toBe(true);

    for (const l of await listings(other, 2)) await publish(l);
    const second = await told(fans);
    expect(all(second.bell, 5)).toBe(true);
    expect(all(second.mail, 2)).toBe(true);
  });

  it('when the window has passed since the last e-mail, then the next match is e-mailed again, and once more only after another window', async () => {
    const game = await createGame(t);
    const fans = await reservers(game, 2);
    const [a, b, c] = await listings(game, 3);
    await publish(a!);
    clock.advance(MATCH_MAIL_EVERY_MS + MINUTE);
    await publish(b!);
    clock.advance(MINUTE);
    await publish(c!);
    const { bell, mail } = await told(fans);
    expect(all(bell, 3)).toBe(true);
    expect(all(mail, 2)).toBe(true);
  });

  it('when twelve listings of one game fan out at the same time, then every fan is told twelve times and e-mailed exactly once', async () => {
    const game = await createGame(t);
    const fans = await reservers(game, 40);
    await Promise.all((await listings(game, 12)).map(publish));
    const { bell, mail } = await told(fans);
    expect(all(bell, 12)).toBe(true);
    expect([...mail.values()]).toEqual(fans.map(() => 1));
  });

  it('when fan-outs renew the same stale marks at the same time, then each fan still gets exactly one e-mail', async () => {
    const game = await createGame(t);
    const fans = await reservers(game, 40);
    await publish((await listings(game, 1))[0]!);
    clock.advance(MATCH_MAIL_EVERY_MS + MINUTE);
    await Promise.all((await listings(game, 12)).map(publish));
    const { bell, mail } = await told(fans);
    expect(all(bell, 13)).toBe(true);
    expect([...mail.values()]).toEqual(fans.map(() => 2));
  });

  // MariaDB only: SQLite's one connection cannot prune while the batch's transaction is open.
  it.runIf(usingMysql())(
    'when the prune deletes stale marks after a batch read them, then the batch still e-mails those fans and writes their marks',
    async () => {
      const game = await createGame(t);
      const fans = await reservers(game, 3);
      await publish((await listings(game, 1))[0]!);
      clock.advance(MATCH_MAIL_EVERY_MS + MINUTE);
      const candidates = fans.map((userId, i) => ({ id: `n${i}`, userId, gameId: game.id }));
      const allowed = await t.deps.db.transaction().execute(async (trx) => {
        // The batch's snapshot holds the stale marks...
        const seen = await trx
          .selectFrom('match_mail_marks')
          .select('user_id')
          .where('game_id', '=', game.id)
          .where('user_id', 'in', fans)
          .execute();
        expect(seen).toHaveLength(3);
        // ...which the hourly prune deletes meanwhile, on another connection.
        expect(await pruneMatchMailMarks(t.deps.db, clock.now())).toBeGreaterThanOrEqual(3);
        return throttleMatchMails(trx, candidates, clock.now());
      });
      expect([...allowed].sort()).toEqual(['n0', 'n1', 'n2']);
      const marks = await t.deps.db
        .selectFrom('match_mail_marks')
        .select('user_id')
        .where('game_id', '=', game.id)
        .where('user_id', 'in', fans)
        .execute();
      expect(marks.map((m) => m.user_id).sort()).toEqual([...fans].sort());
    },
  );

  it('when a fan turned match e-mail off, then no mark is spent: turning it on again e-mails the next match', async () => {
    const game = await createGame(t);
    const fan = await registerUser(t);
    await t.app.inject({
      method: 'POST',
      url: '/api/reservations',
      headers: fan.auth,
      payload: { gameId: game.id, areaIds: [] },
    });
    const prefs = (email: boolean) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/me/notification-preferences',
        headers: fan.auth,
        payload: { types: [{ type: 'reservation_match', email, push: true, line: true }] },
      });
    const [a, b] = await listings(game, 2);
    expect((await prefs(false)).statusCode).toBe(200);
    await publish(a!);
    expect((await prefs(true)).statusCode).toBe(200);
    await publish(b!);
    const { bell, mail } = await told([fan.user.id]);
    expect(bell.get(fan.user.id)).toBe(2);
    expect(mail.get(fan.user.id)).toBe(1);
  });

  it('when a fan closes their account, then their marks go with their notifications', async () => {
    const game = await createGame(t);
    const fan = await registerUser(t);
    await insertReservations(t, [{ userId: fan.user.id, gameId: game.id, areaIds: [] }]);
    await publish((await listings(game, 1))[0]!);
    const marks = () =>
      t.deps.db
        .selectFrom('match_mail_marks')
        .select('game_id')
        .where('user_id', '=', fan.user.id)
        .execute();
    expect(await marks()).toHaveLength(1);
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: fan.auth,
      payload: { password: fan.password },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(await marks()).toHaveLength(0);
  });

  it('when marks are older than the window, then the schedule prunes them and keeps the recent ones', async () => {
    const game = await createGame(t);
    const fans = await reservers(game, 2);
    await publish((await listings(game, 1))[0]!);
    const marks = () =>
      t.deps.db
        .selectFrom('match_mail_marks')
        .select('user_id')
        .where('user_id', 'in', fans)
        .execute();
    expect(await marks()).toHaveLength(2);
    await pruneMatchMailMarks(t.deps.db, clock.now());
    expect(await marks()).toHaveLength(2);
    await pruneMatchMailMarks(t.deps.db, new Date(clock.now().getTime() + MATCH_MAIL_EVERY_MS));
    expect(await marks()).toHaveLength(0);
  });
});

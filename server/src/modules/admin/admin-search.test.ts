// The operators' pickers (issue 21 item 10): users by e-mail, name or id; listings by id, game,
// seller e-mail or name; games by words and status. Admins only, a page at a time.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { DAY, manualClock, MINUTE } from '../../shared/clock.ts';
import {
  createGame,
  insertListing,
  insertUser,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';

const clock = manualClock(new Date('2026-06-01T04:00:00Z'));
let t: TestApp;
let admin: TestUser;
let member: TestUser;
/** A word no other test file's rows hold (test files may share one MariaDB database). */
const tag = randomUUID().slice(0, 8);
beforeAll(async () => {
  t = await buildTestApp({ clock });
  admin = await signedInUser(t, { role: 'admin', name: 'Ops' });
  member = await signedInUser(t, { name: 'Just A Fan' });
});
afterAll(async () => t.close());

const get = (user: TestUser | null, url: string, query: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, query, ...(user ? { headers: user.auth } : {}) });

/** Users created one minute apart (newest last), so the newest-first order is known. */
async function usersNamed(names: string[], email: (i: number) => string) {
  const ids: string[] = [];
  for (const [i, name] of names.entries()) {
    clock.advance(MINUTE);
    ids.push(
      await insertUser(t, { name, email: email(i), email_normalized: email(i).toLowerCase() }),
    );
  }
  return ids;
}

describe('admin search: access', () => {
  it('when a non-admin or nobody searches, then 403 or 401 and no rows', async () => {
    for (const url of ['/api/admin/users', '/api/admin/listings', '/api/admin/games']) {
      const refused = await get(member, url, { q: 'a' });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().items).toBeUndefined();
      expect((await get(null, url, { q: 'a' })).statusCode, url).toBe(401);
    }
  });
});

describe('admin search: users', () => {
  it('when the admin types an e-mail start, a name start or an id, then the matching accounts come back, newest first', async () => {
    const [chen, lin] = await usersNamed([`Chen${tag}`, `林${tag}`], (i) =>
      i === 0 ? `Chen.${tag}@Example.test` : `lin-${tag}@example.test`,
    );
    // E-mail, case-insensitive, by its start.
    const byEmail = await get(admin, '/api/admin/users', { q: `CHEN.${tag}@` });
    expect(byEmail.statusCode, byEmail.body).toBe(200);
    expect(byEmail.json().items.map((u: { id: string }) => u.id)).toEqual([chen]);
    expect(byEmail.json().items[0]).toMatchObject({
      name: `Chen${tag}`,
      email: `Chen.${tag}@Example.test`,
      status: 'active',
    });
    // Display name by its start, in Chinese; in English lower case finds the capital.
    const byName = await get(admin, '/api/admin/users', { q: `林${tag.slice(0, 4)}` });
    expect(byName.json().items.map((u: { id: string }) => u.id)).toEqual([lin]);
    const lower = await get(admin, '/api/admin/users', { q: `chen${tag}` });
    expect(lower.json().items.map((u: { id: string }) => u.id)).toEqual([chen]);
    // An exact id.
    const byId = await get(admin, '/api/admin/users', { q: lin! });
    expect(byId.json().items.map((u: { id: string }) => u.id)).toEqual([lin]);
    // Something in the middle of a name is not a start: nothing.
    const middle = await get(admin, '/api/admin/users', { q: tag });
    expect(middle.json().items).toEqual([]);
  });

  it('when more accounts match than a page holds, then the pages follow each other without gaps or repeats', async () => {
    const ids = await usersNamed(
      [1, 2, 3, 4, 5].map((i) => `Page${tag} ${i}`),
      (i) => `page${i}-${tag}@example.test`,
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get(admin, '/api/admin/users', {
        q: `Page${tag}`,
        limit: '2',
        ...(cursor ? { cursor } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((u: { id: string }) => u.id));
      cursor = body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('when the cursor is tampered with, then 400', async () => {
    const res = await get(admin, '/api/admin/users', { q: 'x', cursor: 'not-a-cursor' });
    expect(res.statusCode).toBe(400);
  });
});

describe('admin search: listings', () => {
  it("when the admin types a listing id, a game id, or the seller's e-mail or name, then those listings come back", async () => {
    const game = await createGame(t);
    const otherGame = await createGame(t, { startsAt: new Date(clock.now().getTime() + 9 * DAY) });
    const [sue] = await usersNamed([`Sue${tag}`], () => `sue-${tag}@example.test`);
    const [bob] = await usersNamed([`Bob${tag}`], () => `bob-${tag}@example.test`);
    clock.advance(MINUTE);
    const sue1 = await insertListing(t, { game, sellerId: sue!, createdAt: clock.now() });
    clock.advance(MINUTE);
    const sue2 = await insertListing(t, {
      game: otherGame,
      sellerId: sue!,
      createdAt: clock.now(),
    });
    clock.advance(MINUTE);
    const bob1 = await insertListing(t, { game, sellerId: bob!, createdAt: clock.now() });

    const ids = async (q: string) => {
      const res = await get(admin, '/api/admin/listings', { q });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((l: { id: string }) => l.id);
    };
    expect(await ids(sue2)).toEqual([sue2]);
    expect(await ids(game.id)).toEqual([bob1, sue1]);
    expect(await ids(`sue-${tag}@`)).toEqual([sue2, sue1]);
    expect(await ids(`Bob${tag}`)).toEqual([bob1]);
    const one = (await get(admin, '/api/admin/listings', { q: bob1 })).json().items[0];
    expect(one).toMatchObject({
      id: bob1,
      status: 'active',
      game: { id: game.id, homeTeam: { id: 'ACN011' } },
      seller: { id: bob, name: `Bob${tag}`, email: `bob-${tag}@example.test` },
    });

    const first = (await get(admin, '/api/admin/listings', { q: `sue-${tag}`, limit: '1' })).json();
    expect(first.items.map((l: { id: string }) => l.id)).toEqual([sue2]);
    const second = (
      await get(admin, '/api/admin/listings', {
        q: `sue-${tag}`,
        limit: '1',
        cursor: first.nextCursor,
      })
    ).json();
    expect(second.items.map((l: { id: string }) => l.id)).toEqual([sue1]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('admin games list', () => {
  it('when the admin filters by status and team words, then only those games come back, soonest first, a page at a time', async () => {
    const base = clock.now().getTime() + 400 * DAY;
    const at = (days: number) => new Date(base + days * DAY);
    const from = at(0).toISOString().slice(0, 10);
    const g1 = await createGame(t, { startsAt: at(1), homeTeamId: 'AJL011', awayTeamId: 'AEO011' });
    const g2 = await createGame(t, {
      startsAt: at(2),
      homeTeamId: 'AJL011',
      awayTeamId: 'ACN011',
      status: 'postponed',
    });
    const g3 = await createGame(t, { startsAt: at(3), homeTeamId: 'ADD011', awayTeamId: 'AAA011' });
    const g4 = await createGame(t, {
      startsAt: at(4),
      homeTeamId: 'AKP011',
      awayTeamId: 'AJL011',
      status: 'cancelled',
    });
    const list = async (query: Record<string, string>) => {
      const res = await get(admin, '/api/admin/games', { from, ...query });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: { id: string; status: string }[]; nextCursor: string | null };
    };
    const all = await list({ limit: '50' });
    const mine = all.items
      .map((g) => g.id)
      .filter((id) => [g1, g2, g3, g4].some((g) => g.id === id));
    expect(mine).toEqual([g1.id, g2.id, g3.id, g4.id]);
    expect((await list({ status: 'postponed' })).items.map((g) => g.id)).toContain(g2.id);
    expect((await list({ status: 'postponed' })).items.every((g) => g.status === 'postponed')).toBe(
      true,
    );
    // 猿 is Rakuten's nickname; with a status, only its cancelled game.
    const monkeys = (await list({ q: '猿', limit: '50' })).items.map((g) => g.id);
    expect(monkeys).toEqual(expect.arrayContaining([g1.id, g2.id, g4.id]));
    expect(monkeys).not.toContain(g3.id);
    expect((await list({ q: 'monkeys', status: 'cancelled' })).items.map((g) => g.id)).toContain(
      g4.id,
    );
    expect(
      (await list({ q: 'monkeys', status: 'cancelled' })).items.map((g) => g.id),
    ).not.toContain(g1.id);
    // A pasted game id.
    expect((await list({ q: g3.id })).items.map((g) => g.id)).toEqual([g3.id]);
    // Words that name nothing: no games.
    expect((await list({ q: 'zzqx 不存在' })).items).toEqual([]);
    // Pages.
    const p1 = await list({ q: '猿', limit: '2' });
    expect(p1.items).toHaveLength(2);
    const p2 = await list({ q: '猿', limit: '2', cursor: p1.nextCursor! });
    expect([...p1.items, ...p2.items].map((g) => g.id).slice(0, 3)).toEqual(monkeys.slice(0, 3));
  });
});

// Stadium maps (issue 22 item 1): every park has a map whose polygons are keyed to its seat
// areas; an admin adjusts a park's map, area names and face-value ranges, which the game's pages
// then use and the catalogue seed keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  createGame,
  insertListing,
  makeAdmin,
  signedInUser,
} from '../../../test/factories/index.ts';
import { seedCatalog } from './index.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof makeAdmin>>;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await makeAdmin(t);
});
afterAll(async () => t.close());

async function stadiums() {
  const res = await t.app.inject({ method: 'GET', url: '/api/stadiums' });
  return res.json().items as {
    id: string;
    abbe: string;
    areas: { id: string; code: string; faceValueMin: number; faceValueMax: number }[];
  }[];
}

const patch = (auth: Record<string, string>, id: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/admin/stadiums/${id}`, headers: auth, payload });

describe('stadium maps', () => {
  it('when each of the 11 parks is asked for its map, then every seat area has polygons, small enough to send', async () => {
    const all = await stadiums();
    expect(all).toHaveLength(11);
    for (const s of all) {
      const res = await t.app.inject({ method: 'GET', url: `/api/stadiums/${s.id}/map` });
      expect(res.statusCode, `${s.abbe} ${res.body}`).toBe(200);
      const map = res.json();
      expect(map.approximate).toBe(true);
      expect(map.areas.map((a: { areaId: string }) => a.areaId).sort()).toEqual(
        s.areas.map((a) => a.id).sort(),
      );
      for (const a of map.areas) expect(a.polygons.length).toBeGreaterThan(0);
      expect(gzipSync(res.body).length).toBeLessThan(30 * 1024);
    }
  });

  it('when the stadium is unknown, then 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/stadiums/nope/map' });
    expect(res.statusCode).toBe(404);
  });

  it('when a game has tickets, then the price summary gives each area its tickets and lowest price as a share of face value, for n together', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const area = game.areas[0]!;
    await insertListing(t, {
      game,
      sellerId: seller.id,
      quantity: 3,
      price: 800,
      faceValue: 1000,
      splitRule: 'pairs',
    });
    await insertListing(t, { game, sellerId: seller.id, quantity: 1, price: 600, faceValue: 1000 });
    const summary = async (q = '') =>
      (await t.app.inject({ method: 'GET', url: `/api/games/${game.id}/price-summary${q}` }))
        .json()
        .items.find((i: { areaId: string }) => i.areaId === area.id);
    expect(await summary()).toMatchObject({
      activeCount: 2,
      tickets: 4,
      minPrice: 600,
      minFacePct: 60,
    });
    // Two together: the single ticket cannot, nor can 3 in pairs (it would leave one seat).
    expect(await summary('?quantity=2')).toMatchObject({
      activeCount: 0,
      tickets: 0,
      minPrice: null,
      minFacePct: null,
    });
    expect(await summary('?quantity=3')).toMatchObject({
      activeCount: 1,
      tickets: 3,
      minPrice: 800,
      minFacePct: 80,
    });
  });
});

describe('admin adjusts a stadium', () => {
  it('when someone who is not an admin tries, then 401 or 403 and nothing changes', async () => {
    const [s] = await stadiums();
    const user = await signedInUser(t);
    expect(
      (await patch({}, s!.id, { areas: [{ code: s!.areas[0]!.code, faceValueMax: 9999 }] }))
        .statusCode,
    ).toBe(401);
    expect(
      (await patch(user.auth, s!.id, { areas: [{ code: s!.areas[0]!.code, faceValueMax: 9999 }] }))
        .statusCode,
    ).toBe(403);
  });

  it('when an admin changes face-value ranges and the map, then the catalogue, the listing rules and the map follow, and the seed keeps them', async () => {
    const s = (await stadiums()).find((x) => x.abbe === '天母')!;
    const area = s.areas[0]!;
    const map = (await t.app.inject({ method: 'GET', url: `/api/stadiums/${s.id}/map` })).json();
    const moved = {
      viewBox: map.viewBox,
      approximate: false,
      field: map.field,
      infield: map.infield,
      areas: map.areas.map((a: { code: string; polygons: string[]; label: [number, number] }) =>
        a.code === area.code
          ? { code: a.code, polygons: ['0,0 10,0 10,10 0,10'], label: [5, 5] }
          : { code: a.code, polygons: a.polygons, label: a.label },
      ),
    };
    const res = await patch(admin.auth, s.id, {
      areas: [
        { code: area.code, faceValueMin: 150, faceValueMax: 2500, nameEn: 'Theme day infield' },
      ],
      map: moved,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().areas.find((a: { code: string }) => a.code === area.code)).toMatchObject({
      faceValueMin: 150,
      faceValueMax: 2500,
      nameEn: 'Theme day infield',
    });
    expect(res.json().map).toMatchObject({ adjusted: true, approximate: false });
    const after = (await stadiums())
      .find((x) => x.id === s.id)!
      .areas.find((a) => a.id === area.id)!;
    expect(after).toMatchObject({ faceValueMin: 150, faceValueMax: 2500 });
    const served = (await t.app.inject({ method: 'GET', url: `/api/stadiums/${s.id}/map` })).json();
    expect(served.areas.find((a: { code: string }) => a.code === area.code).polygons).toEqual([
      '0,0 10,0 10,10 0,10',
    ]);

    // The seed at the next start keeps what the admin set.
    await seedCatalog(t.deps.db);
    const row = await t.deps.db
      .selectFrom('seat_areas')
      .selectAll()
      .where('id', '=', area.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      face_value_min: 150,
      face_value_max: 2500,
      name_en: 'Theme day infield',
    });
  });

  it("when an admin renames an area, then a game at that park shows it at once (the game's cached page is forgotten)", async () => {
    const game = await createGame(t);
    const area = game.areas.at(-1)!;
    const gamePage = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/games/${game.id}` })).json() as {
        areas: { id: string; nameEn: string }[];
      };
    expect((await gamePage()).areas.find((a) => a.id === area.id)?.nameEn).toBe(area.name_en);
    const res = await patch(admin.auth, game.stadiumId, {
      areas: [
        {
          code: area.code,
          faceValueMin: area.face_value_min,
          faceValueMax: area.face_value_max,
          nameEn: `${area.name_en} (renamed)`,
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await gamePage()).areas.find((a) => a.id === area.id)?.nameEn).toBe(
      `${area.name_en} (renamed)`,
    );
    await patch(admin.auth, game.stadiumId, {
      areas: [
        {
          code: area.code,
          faceValueMin: area.face_value_min,
          faceValueMax: area.face_value_max,
          nameEn: area.name_en,
        },
      ],
    });
  });

  it('when the body names an area the stadium lacks or a range upside down, then 400 and nothing changes', async () => {
    const s = (await stadiums()).find((x) => x.abbe === '新莊')!;
    const unknown = await patch(admin.auth, s.id, { areas: [{ code: 'NOPE', faceValueMax: 100 }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe('body.areas.0.code');
    const upside = await patch(admin.auth, s.id, {
      areas: [{ code: s.areas[0]!.code, faceValueMin: s.areas[0]!.faceValueMax + 1 }],
    });
    expect(upside.statusCode).toBe(400);
    const again = (await stadiums()).find((x) => x.id === s.id)!;
    expect(again.areas[0]).toEqual(s.areas[0]);
  });
});

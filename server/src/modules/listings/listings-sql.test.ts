// The hot queries of the listings pages: their SQL on both dialects is kept in a snapshot file
// (a diff shows any change in review), and on SQLite the plan must use the listings indexes.
import {
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import { queryPlan } from '../../../test/query-plan.ts';
import type { DB } from '../../platform/db/schema.ts';
import { gameListingsPageQuery, sellerListingsQuery } from './listings.repository.ts';
import { createGame, registerUser } from '../../../test/factories/index.ts';

const compilerOnly = (dialect: 'sqlite' | 'mysql') =>
  new Kysely<DB>({
    dialect: {
      createAdapter: () => (dialect === 'sqlite' ? new SqliteAdapter() : new MysqlAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) =>
        dialect === 'sqlite' ? new SqliteIntrospector(db) : new MysqlIntrospector(db),
      createQueryCompiler: () =>
        dialect === 'sqlite' ? new SqliteQueryCompiler() : new MysqlQueryCompiler(),
    },
  });

const pageQueries = (db: Kysely<DB>, G = 'G', A = 'A') =>
  [
    ['price, first page', gameListingsPageQuery(db, G, 'price', {}, 21)],
    [
      'price, next page, all filters',
      gameListingsPageQuery(
        db,
        G,
        'price',
        { areaId: A, minPrice: 1, maxPrice: 100_000, quantity: 2 },
        21,
        { s: 'price', p: 500, id: 'L' },
      ),
    ],
    [
      '-price, next page',
      gameListingsPageQuery(db, G, '-price', {}, 21, { s: '-price', p: 1, id: 'L' }),
    ],
    [
      'newest, next page',
      gameListingsPageQuery(db, G, 'newest', {}, 21, { s: 'newest', c: 'T', id: 'L' }),
    ],
    [
      'area, next page',
      gameListingsPageQuery(db, G, 'area', {}, 21, { s: 'area', o: 1, p: 1, id: 'L' }),
    ],
    [
      'seller_rating, next page',
      gameListingsPageQuery(db, G, 'seller_rating', {}, 21, {
        s: 'seller_rating',
        r: 4500,
        p: 1,
        id: 'L',
      }),
    ],
  ] as const;

describe('hot listing queries', () => {
  it('when the page queries are compiled, then their SQL matches the snapshot on both dialects', async () => {
    const text = (['sqlite', 'mysql'] as const)
      .flatMap((dialect) =>
        pageQueries(compilerOnly(dialect)).map(
          ([name, q]) => `-- ${dialect}: ${name}\n${q.compile().sql};\n`,
        ),
      )
      .join('\n');
    await expect(text).toMatchFileSnapshot('./__snapshots__/listings-hot-queries.sql');
  });

  describe('on the database', () => {
    let t: TestApp;
    let ids: { game: string; area: string; seller: string };
    beforeAll(async () => {
      t = await buildTestApp();
      // Real rows: MariaDB short-cuts a plan whose constant lookups find nothing.
      const seller = await registerUser(t);
      const game = await createGame(t);
      const area = game.areas[0]!;
      await t.deps.listings.create(
        seller.user.id,
        {
          gameId: game.id,
          areaId: area.id,
          section: 'A',
          quantity: 1,
          splitRule: 'any',
          price: area.face_value_min,
          faceValue: area.face_value_min,
          deliveryMethod: 'paper_mail',
        },
        [],
      );
      ids = { game: game.id, area: area.id, seller: seller.user.id };
    });
    afterAll(async () => t.close());

    it('when a game page or a seller page is planned, then it reads through a listings index', async () => {
      const plans: string[] = [];
      const queries = [
        ...pageQueries(t.deps.db, ids.game, ids.area).map(([, q]) => q.compile()),
        ...(['active', 'expired', undefined] as const).map((status) =>
          sellerListingsQuery(t.deps.db, ids.seller, {
            status,
            nowIso: 'T',
            limit: 21,
            after: { createdAt: 'T', id: 'L' },
          }).compile(),
        ),
      ];
      for (const compiled of queries) plans.push(JSON.stringify(await queryPlan(t, compiled)));
      for (const plan of plans) {
        // MariaDB may still scan a near-empty table; the index must at least be a candidate.
        if (usingMysql()) expect(plan).toMatch(/"possible_keys":"[^"]*listings_\w+_idx/);
        else {
          expect(plan).toMatch(/SEARCH l USING (COVERING )?INDEX listings_\w+_idx/);
          expect(plan).not.toMatch(/SCAN l\b/);
        }
      }
    });
  });
});

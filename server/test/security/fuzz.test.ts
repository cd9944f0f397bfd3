// Property-based fuzzing of every route in the OpenAPI document (fast-check): hostile bodies,
// path parameters, query strings and headers, signed out and signed in. Whatever comes in, the
// answer is never a 5xx, every 4xx has the error shape, and nothing pollutes Object.prototype.
// Runs per route: FUZZ_RUNS (default 30). A failure prints the seed and the shrunk request.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.ts';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import {
  encodeText,
  hostileBody,
  hostileHeaders,
  hostileQuery,
  hostileString,
} from './hostile-input.ts';
import {
  documentedRoutes,
  expectErrorShape,
  fillPath,
  STREAM_ROUTE,
  type DocRoute,
} from './openapi-routes.ts';
import {
  createGame,
  holdOrder,
  insertListing,
  setupSale,
  signedInUser,
  type TestUser,
} from '../factories/index.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);

let t: TestApp;
let routes: DocRoute[] = [];
let user: TestUser;
let admin: TestUser;
let realIds: string[] = [];
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

// Routes are read from the document at collection time, from an app of their own.
const listed = await (async () => {
  const probe = await buildTestApp();
  try {
    return await documentedRoutes(probe);
  } finally {
    await probe.close();
  }
})();

beforeAll(async () => {
  t = await buildTestApp();
  routes = listed;
  user = await signedInUser(t, { name: 'Fuzz Fan' });
  admin = await signedInUser(t, { role: 'admin' });
  const game = await createGame(t);
  const mine = await insertListing(t, { game, sellerId: user.id });
  const sale = await setupSale(t);
  const order = await holdOrder(t, user, sale.listingId);
  realIds = [game.id, game.areas[0]!.id, mine, sale.listingId, order.id, 'ACN011', newId()];
});
afterAll(async () => t?.close());

interface Case {
  pathValue: string;
  query: string;
  body: string;
  headers: Record<string, string>;
}

function caseArbitrary(route: DocRoute): fc.Arbitrary<Case> {
  const strings = hostileString(realIds.length ? realIds : ['x']);
  const rawPath = fc.constantFrom('%', '%zz', '%c0%af', '..', '.', '%2e%2e%2f');
  return fc.record({
    pathValue: fc.oneof(
      { weight: 4, arbitrary: strings.map((s) => encodeText(s)) },
      { weight: 1, arbitrary: rawPath },
    ),
    query: hostileQuery(route, strings),
    body: hostileBody(route, strings),
    headers: hostileHeaders(strings),
  });
}

async function send(route: DocRoute, c: Case, auth: Record<string, string>) {
  const url = route.path.replace(/\{\w+\}/g, () => c.pathValue) + (c.query ? `?${c.query}` : '');
  const withBody = route.method !== 'GET' && route.method !== 'DELETE';
  return t.app.inject({
    method: route.method,
    url,
    headers: { ...c.headers, ...auth },
    ...(withBody ? { payload: c.body } : {}),
  });
}

function check(route: DocRoute, c: Case, res: { statusCode: number; body: string }) {
  const context = `${route.label} ${JSON.stringify(c).slice(0, 300)}`;
  if (res.statusCode >= 500) throw new Error(`${context}: ${res.statusCode} ${res.body}`);
  if (res.statusCode >= 400) expectErrorShape(res, context);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
}

async function authFor(route: DocRoute): Promise<Record<string, string>> {
  if (route.label === 'POST /api/auth/logout') {
    // A fresh session each time: the fuzz user's own token must survive logging out.
    const { token } = await t.deps.tokens.issue(user.id, t.deps.clock.now());
    return { authorization: `Bearer ${token}` };
  }
  return route.path.startsWith('/api/admin/') ? admin.auth : user.auth;
}

describe('fuzzing every documented route', () => {
  it('when the document is read, then it lists the routes this suite fuzzes', () => {
    expect(listed.length).toBeGreaterThan(40);
  });

  for (const route of listed) {
    it(`when ${route.label} gets hostile input signed out, then never a 5xx and always the error shape`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArbitrary(route), async (c) => {
          check(route, c, await send(route, c, {}));
        }),
        { numRuns: RUNS },
      );
    });

    if (route.label === STREAM_ROUTE) continue; // an open stream never ends under inject
    it(`when ${route.label} gets hostile input signed in, then never a 5xx and always the error shape`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArbitrary(route), async (c) => {
          check(route, c, await send(route, c, await authFor(route)));
        }),
        { numRuns: RUNS },
      );
      // The fuzz user is still who it was.
      const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: user.auth });
      expect(me.statusCode).toBe(200);
      expect(me.json().role).toBe('user');
    });
  }

  it('when the fuzzing is over, then the routes still answer normally', async () => {
    const teams = await t.app.inject({ method: 'GET', url: '/api/teams' });
    expect(teams.statusCode).toBe(200);
    expect(fillPath('/api/games/{id}', realIds[0]!)).toContain(realIds[0]);
    expect(routes.length).toBe(listed.length);
  });
});

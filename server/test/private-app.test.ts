// A private test app (a database of its own) must not share cached answers with the apps on the
// run's database: on MariaDB every app of a run talks to one Redis, so the cache, its namespace
// generations and its pub/sub would be shared unless the private app has a key prefix of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { createGame } from './factories/index.ts';
import { buildPrivateTestApp } from './fixtures/private-app.ts';

let shared: TestApp;
let other: TestApp | undefined;
beforeAll(async () => {
  shared = await buildTestApp();
});
afterAll(async () => {
  await other?.close();
  await shared.close();
});

const demoFlag = async (t: TestApp) =>
  ((await t.app.inject({ method: 'GET', url: '/api/meta' })).json() as { demo: boolean }).demo;

describe('private test apps', () => {
  it('when the run database has answered /api/meta, then a private database with demo games still says demo', async () => {
    expect(await demoFlag(shared)).toBe(false); // cached for the run's database
    other = await buildPrivateTestApp();
    const game = await createGame(other);
    await other.deps.db
      .updateTable('games')
      .set({ is_demo: 1 })
      .where('id', '=', game.id)
      .execute();
    expect(await demoFlag(other)).toBe(true);
    expect(await demoFlag(shared)).toBe(false);
  });
});

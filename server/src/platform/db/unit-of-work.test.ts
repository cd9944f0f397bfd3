// The unit of work: effects after commit only, once per key; retried deadlock victims; errors
// thrown after commit keep the writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { createDatabase } from './database.ts';
import type { Trx } from './dialect.ts';
import type { TxContext } from './unit-of-work.ts';
import { createUnitOfWork } from './unit-of-work.ts';

const database = createDatabase({ driver: 'sqlite', file: ':memory:' });
const clock = manualClock(new Date('2026-05-01T10:00:00Z'));
const warnings: string[] = [];
const uow = createUnitOfWork({
  db: database.db,
  clock,
  log: { warn: (obj) => warnings.push(String((obj as { effect: string }).effect)) },
});
beforeAll(async () => {
  await database.migrate();
});
afterAll(async () => database.destroy());

async function insertTeam(trx: Trx) {
  const id = newId();
  await trx
    .insertInto('teams')
    .values({
      id,
      code: id,
      name: 'T',
      name_en: 'T',
      short_name: 'T',
      color: '#000',
      home_stadium_abbe: null,
    })
    .execute();
  return id;
}

const teamExists = async (id: string) =>
  (await database.db.selectFrom('teams').select('id').where('id', '=', id).executeTakeFirst()) !==
  undefined;

describe('unit of work', () => {
  it('when the work commits, then its effects run afterwards, once per key, in first-registered order', async () => {
    const ran: string[] = [];
    let committedWhenEffectRan = false;
    const id = await uow.run(null, async (ctx) => {
      const team = await insertTeam(ctx.trx);
      ctx.afterCommit('b', async () => {
        committedWhenEffectRan = await teamExists(team);
        ran.push('b');
      });
      ctx.afterCommit('a', async () => void ran.push('a'));
      ctx.afterCommit('b', async () => void ran.push('b again'));
      expect(ran).toEqual([]);
      return team;
    });
    expect(ran).toEqual(['b', 'a']);
    expect(committedWhenEffectRan).toBe(true);
    expect(await teamExists(id)).toBe(true);
  });

  /** Work that writes a team and registers an effect, then ends as `end` says. */
  async function writeThen(end: (ctx: TxContext) => void) {
    const ran: string[] = [];
    let team = '';
    const outcome = await uow
      .run(null, async (ctx) => {
        team = await insertTeam(ctx.trx);
        ctx.afterCommit('x', async () => void ran.push('x'));
        end(ctx);
      })
      .then(
        () => null,
        (err: Error) => err.message,
      );
    return { error: outcome, ran, written: await teamExists(team) };
  }

  it('when the work throws, then nothing is written and no effect runs', async () => {
    const result = await writeThen(() => {
      throw new Error('boom');
    });
    expect(result).toEqual({ error: 'boom', ran: [], written: false });
  });

  it('when the work fails after commit, then its writes and effects stay and the caller gets the error', async () => {
    const result = await writeThen((ctx) => ctx.failAfterCommit(new Error('too late')));
    expect(result).toEqual({ error: 'too late', ran: ['x'], written: true });
  });

  it('when the database picks the work as a deadlock victim, then it runs again with a fresh set of effects', async () => {
    const ran: string[] = [];
    let attempts = 0;
    const value = await uow.run('req-1', async (ctx) => {
      attempts++;
      expect(ctx.requestId).toBe('req-1');
      ctx.afterCommit(`attempt ${attempts}`, async () => void ran.push(`attempt ${attempts}`));
      if (attempts < 3) throw Object.assign(new Error('Deadlock found'), { errno: 1213 });
      return 'done';
    });
    expect(value).toBe('done');
    expect(attempts).toBe(3);
    expect(ran).toEqual(['attempt 3']);
  });

  it('when it deadlocks on every attempt, then the fourth deadlock reaches the caller', async () => {
    let attempts = 0;
    await expect(
      uow.run(null, async () => {
        attempts++;
        throw Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });
      }),
    ).rejects.toThrow('Deadlock found');
    expect(attempts).toBe(4);
  });

  it('when an effect fails, then it is logged and the later effects still run', async () => {
    const ran: string[] = [];
    await uow.run(null, async (ctx) => {
      ctx.afterCommit('failing', async () => {
        throw new Error('cache down');
      });
      ctx.afterCommit('next', async () => void ran.push('next'));
    });
    expect(ran).toEqual(['next']);
    expect(warnings).toContain('failing');
  });
});

// Reservation fan-out (issue 6): one game with 10,000 active reservations (each from its own fan,
// any seat area, no price cap) and one with none.
// 1. The seller's POST /api/listings latency on the reserved game against the same request on the
//    quiet game, interleaved, sequential, over HTTP (target: within 1.5×): the request only
//    enqueues the matching job, it never waits for the fan-out.
// 2. The matching job (deps.reservations.handleListingPublished, what the worker runs) for one new
//    listing on the reserved game: time until all 10,000 in-site notifications exist (< 10 s).
import { insertRows } from '../../server/test/factories/fixture.ts';
import { insertGames, userRow } from '../fixtures.ts';
import { defineMeasure, type Measured } from '../scenario.ts';

const RESERVATIONS = 10_000;
const POSTS_PER_GAME = 60;
const WARMUP = 10;
const PER_SELLER = 15; // under MAX_ACTIVE_LISTINGS_PER_GAME (20)

interface Ctx {
  reservedGameId: string;
  quietGameId: string;
  areaId: string;
  price: number;
  sellerTokens: string[];
}

export default defineMeasure<Ctx>({
  name: 'reservation fan-out (10,000)',
  async setup(deps) {
    const now = deps.clock.now();
    const iso = now.toISOString();
    // Two calls: each game's home team is the first with a stadium, so one area fits both.
    const [reserved] = await insertGames(deps, 1, 14);
    const [quiet] = await insertGames(deps, 1, 15);
    const area = await deps.db
      .selectFrom('seat_areas')
      .selectAll()
      .where('stadium_id', '=', reserved!.stadium_id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const sellerCount = Math.ceil((POSTS_PER_GAME + WARMUP + 1) / PER_SELLER);
    const sellers = Array.from({ length: sellerCount }, (_, i) =>
      userRow(`Bench Seller ${i}`, now, { payout_bank_code: '004', payout_account: '1234567890' }),
    );
    // Fans want e-mail too: the job enqueues one e-mail per fan, as in production.
    const fans = Array.from({ length: RESERVATIONS }, (_, i) =>
      userRow(`Bench Fan ${i}`, now, { email_notifications: 1 }),
    );
    await insertRows({ deps }, 'users', [...sellers, ...fans]);
    await insertRows(
      { deps },
      'reservations',
      fans.map((f) => {
        const id = f.id; // one reservation per fan: its id doubles as the criteria key
        return {
          id,
          user_id: f.id,
          game_id: reserved!.id,
          max_price: null,
          quantity: 1,
          criteria_key: `bench:${id}`,
          status: 'active' as const,
          created_at: iso,
        };
      }),
    );
    const sellerTokens: string[] = [];
    for (const s of sellers) sellerTokens.push((await deps.tokens.issue(s.id, now)).token);
    return {
      reservedGameId: reserved!.id,
      quietGameId: quiet!.id,
      areaId: area.id,
      price: area.face_value_min,
      sellerTokens,
    };
  },
  serverTasks: {
    async fanOut(deps, _ctx, arg) {
      const { listingId } = arg as { listingId: string };
      const started = performance.now();
      const notified = await deps.reservations.handleListingPublished(
        { listingId },
        { jobId: 'bench', attempt: 1, requestId: null },
      );
      const ms = performance.now() - started;
      const row = await deps.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('dedupe_key', '=', `reservation_match:${listingId}`)
        .executeTakeFirstOrThrow();
      return { ms, notified, notifications: Number(row.n) };
    },
  },
  async measure({ ctx, appUrl, server }): Promise<Measured[]> {
    const post = (gameId: string, i: number) =>
      fetch(new URL('/api/listings', appUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${ctx.sellerTokens[Math.floor(i / PER_SELLER)]}`,
        },
        body: JSON.stringify({
          gameId,
          areaId: ctx.areaId,
          section: '101',
          quantity: 1,
          price: ctx.price,
          faceValue: ctx.price,
          deliveryMethod: 'eticket_transfer',
        }),
        signal: AbortSignal.timeout(10_000),
      });
    const times = { reserved: [] as number[], quiet: [] as number[] };
    let firstListingId: string | null = null;
    for (let i = 0; i < WARMUP + POSTS_PER_GAME; i++) {
      // Interleaved, alternating which goes first, so drift hits both alike.
      const order = i % 2 ? (['reserved', 'quiet'] as const) : (['quiet', 'reserved'] as const);
      for (const which of order) {
        const started = performance.now();
        const res = await post(which === 'reserved' ? ctx.reservedGameId : ctx.quietGameId, i);
        const body = await res.text();
        const ms = performance.now() - started;
        if (res.status !== 201)
          throw new Error(`POST /api/listings answered ${res.status}: ${body.slice(0, 160)}`);
        if (which === 'reserved' && !firstListingId)
          firstListingId = (JSON.parse(body) as { id: string }).id;
        if (i >= WARMUP) times[which].push(ms);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const p95 = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
    const [r50, q50, r95, q95] = [
      median(times.reserved),
      median(times.quiet),
      p95(times.reserved),
      p95(times.quiet),
    ];
    const fan = (await server.run('fanOut', { listingId: firstListingId })) as {
      ms: number;
      notified: number;
      notifications: number;
    };
    if (fan.notifications !== RESERVATIONS)
      throw new Error(`fan-out wrote ${fan.notifications} notifications, not ${RESERVATIONS}`);
    return [
      {
        name: 'POST /api/listings, 10,000 reservations vs none (median)',
        result:
          `median ${r50.toFixed(1)} vs ${q50.toFixed(1)} ms, ` +
          `p95 ${r95.toFixed(1)} vs ${q95.toFixed(1)} ms (${times.reserved.length} each)`,
        value: r50 / q50,
        max: 1.5,
        unit: '×',
      },
      {
        name: 'fan-out: 10,000 notifications written',
        result: `${(fan.ms / 1000).toFixed(2)} s (${fan.notified} notified)`,
        value: fan.ms / 1000,
        max: 10,
        unit: 's',
      },
    ];
  },
});

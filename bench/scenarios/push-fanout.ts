// Push fan-out (issue 19): 1,000 fans reserve one game, each with a Web Push subscription to a
// local push service (started by this scenario, in the load generator: it decrypts every payload
// with the subscription's private key, as a browser would). The seller POSTs one matching listing
// over HTTP; the clock runs from that POST until each encrypted push is received. The server's
// job worker (started for this measure, as JOBS=inline does; measures run on the tuned server,
// JOBS=off) does the matching, writes the notifications and sends the pushes in batches
// (push.send jobs of 50): nothing of it in the seller's request.
// Targets: p95 of the time-to-push ≤ 5 s; the seller's POST with 1,000 push reservers within 1.5×
// of the same POST on a quiet game (median of interleaved posts).
import { createHash } from 'node:crypto';
import { insertRows } from '../../server/test/factories/fixture.ts';
import { startPushEndpoint } from '../../server/test/push-endpoint.ts';
import { newId } from '../../server/src/shared/ids.ts';
import { insertGames, userRow } from '../fixtures.ts';
import { defineMeasure, type Measured } from '../scenario.ts';

const FANS = 1000;
const QUIET_POSTS = 10;

interface Ctx {
  reservedGameId: string;
  quietGameId: string;
  fanIds: string[];
  areaId: string;
  price: number;
  sellerToken: string;
}

interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export default defineMeasure<Ctx>({
  name: 'push fan-out (1,000 subscribers)',
  async setup(deps) {
    const now = deps.clock.now();
    const iso = now.toISOString();
    const [reserved] = await insertGames(deps, 1, 16);
    const [quiet] = await insertGames(deps, 1, 17);
    const area = await deps.db
      .selectFrom('seat_areas')
      .selectAll()
      .where('stadium_id', '=', reserved!.stadium_id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const seller = userRow('Bench Push Seller', now, {
      payout_bank_code: '004',
      payout_account: '1234567890',
    });
    const fans = Array.from({ length: FANS }, (_, i) => userRow(`Bench Push Fan ${i}`, now));
    await insertRows({ deps }, 'users', [seller, ...fans]);
    await insertRows(
      { deps },
      'reservations',
      fans.map((f) => ({
        id: f.id,
        user_id: f.id,
        game_id: reserved!.id,
        max_price: null,
        quantity: 1,
        criteria_key: `bench-push:${f.id}`,
        status: 'active' as const,
        created_at: iso,
      })),
    );
    return {
      reservedGameId: reserved!.id,
      quietGameId: quiet!.id,
      fanIds: fans.map((f) => f.id),
      areaId: area.id,
      price: area.face_value_min,
      sellerToken: (await deps.tokens.issue(seller.id, now)).token,
    };
  },
  serverTasks: {
    /** Each fan's browser subscribed (rows written directly: the API path is tested elsewhere). */
    async subscribe(deps, ctx, arg) {
      const subs = arg as BrowserSubscription[];
      const iso = deps.clock.now().toISOString();
      await insertRows(
        { deps },
        'push_subscriptions',
        subs.map((s, i) => ({
          id: newId(),
          user_id: ctx.fanIds[i]!,
          endpoint: s.endpoint,
          endpoint_hash: createHash('sha256').update(s.endpoint).digest('base64url'),
          p256dh: s.keys.p256dh,
          auth: s.keys.auth,
          created_at: iso,
        })),
      );
      return subs.length;
    },
    async startWorker(deps) {
      // The tuned server runs without a worker (JOBS=off), so the scenarios before this one
      // (checkout's e-mails, the bulk listing's fan-outs…) left their jobs due. Run them first:
      // on SQLite they share the one connection with the seller's POST, which timed out behind
      // them in a full run.
      await deps.worker.drain({ timeoutMs: 120_000 });
      deps.worker.start();
      return null;
    },
    async stopWorker(deps) {
      await deps.worker.stop({ timeoutMs: 10_000 });
      return null;
    },
  },
  async measure({ ctx, appUrl, server }): Promise<Measured[]> {
    const push = await startPushEndpoint();
    try {
      const subs = Array.from({ length: FANS }, () => push.subscribe().json);
      await server.run('subscribe', subs);
      const post = async (gameId: string) => {
        const started = performance.now();
        const res = await fetch(new URL('/api/listings', appUrl), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${ctx.sellerToken}`,
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
        const body = await res.text();
        if (res.status !== 201)
          throw new Error(`POST /api/listings answered ${res.status}: ${body.slice(0, 160)}`);
        return { started, ms: performance.now() - started };
      };
      // The worker runs for the quiet POSTs too, so both sides share its load.
      await server.run('startWorker');
      // Warm-up and the quiet game's POSTs (no reservations, nothing to push).
      const quiet: number[] = [];
      for (let i = 0; i < QUIET_POSTS + 2; i++) {
        const { ms } = await post(ctx.quietGameId);
        if (i >= 2) quiet.push(ms);
      }
      await new Promise((resolve) => setTimeout(resolve, 500)); // the quiet jobs done
      const { started, ms: postMs } = await post(ctx.reservedGameId);
      await push.waitFor(FANS, 60_000);
      if (push.failures.length)
        throw new Error(`pushes that did not decrypt: ${push.failures.slice(0, 3).join('; ')}`);
      const times = push.received.map((r) => r.receivedAt - started).sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
      const quietMedian = [...quiet].sort((a, b) => a - b)[Math.floor(quiet.length / 2)]!;
      return [
        {
          name: 'push fan-out: time to 1,000 decrypted pushes (p95)',
          result:
            `p50 ${(at(0.5) / 1000).toFixed(2)} s, p95 ${(at(0.95) / 1000).toFixed(2)} s, ` +
            `last ${(times[times.length - 1]! / 1000).toFixed(2)} s (${times.length} pushes)`,
          value: at(0.95) / 1000,
          max: 5,
          unit: 's',
        },
        {
          name: 'POST /api/listings, 1,000 push reservers vs quiet game (median)',
          result: `${postMs.toFixed(1)} vs ${quietMedian.toFixed(1)} ms`,
          value: postMs / quietMedian,
          max: 1.5,
          unit: '×',
        },
      ];
    } finally {
      await server.run('stopWorker').catch(() => null);
      await push.close();
    }
  },
});

// SMTP down: with MAIL_TRANSPORT=smtp pointing at a local SMTP server that is not running, the
// requests that cause mail still succeed; the mail jobs fail and retry with growing back-off; once
// the SMTP server is up the worker delivers every message exactly once.
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/shared/clock.ts';
import { mailJob, notificationJob } from '../../src/modules/notifications/notifications.jobs.ts';
import { buildPrivateTestApp } from '../fixtures/private-app.ts';
import type { TestApp } from '../build-test-app.ts';
import { freePort } from './processes.ts';
import { holdOrder, payOrder, setupSale } from '../factories/index.ts';

const MAIL_TYPES = [notificationJob.type, mailJob.type];
const clock = manualClock();
let port = 0;
let t: TestApp;
let smtp: SMTPServer | null = null;
const received: { to: string[]; size: number }[] = [];

function startSmtp(): Promise<SMTPServer> {
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      let size = 0;
      stream.on('data', (c: Buffer) => (size += c.length));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), size });
        callback();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const mailJobs = () =>
  t.deps.db
    .selectFrom('jobs')
    .select(['id', 'status', 'attempts', 'run_at', 'last_error', 'payload'])
    .where('type', '=', mailJob.type)
    .execute();

beforeAll(async () => {
  port = await freePort(); // nothing listens here until the test starts the SMTP server
  t = await buildPrivateTestApp({
    clock,
    env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://127.0.0.1:${port}` },
  });
});

afterAll(async () => {
  await t?.close();
  if (smtp) await new Promise<void>((r) => smtp!.close(() => r()));
});

describe('SMTP down', () => {
  it('when the SMTP server is down, then orders succeed, mail retries with back-off and is delivered exactly once after it is back', async () => {
    // Requests that cause mail (an order paid → seller and buyer are told) succeed.
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const paid = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().order.status).toBe('paid');

    // enqueue() stamps run_at with the real time; keep the test clock ahead of it.
    clock.set(new Date(Date.now() + 10_000));
    // First try: every mail job fails (connection refused) and waits for its back-off.
    await t.deps.worker.drain({ types: MAIL_TYPES });
    const first = await mailJobs();
    expect(first.length).toBeGreaterThan(0);
    const now1 = clock.now().getTime();
    for (const j of first) {
      expect(j.status).toBe('pending');
      expect(j.attempts).toBe(1);
      expect(j.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(new Date(j.run_at).getTime()).toBeGreaterThan(now1);
    }
    const firstDelay = Math.max(...first.map((j) => new Date(j.run_at).getTime() - now1));

    // Second try, still down: the delay grows.
    clock.advance(firstDelay + 1);
    await t.deps.worker.drain({ types: MAIL_TYPES });
    const second = await mailJobs();
    const now2 = clock.now().getTime();
    for (const j of second) {
      expect(j.status).toBe('pending');
      expect(j.attempts).toBe(2);
      expect(new Date(j.run_at).getTime() - now2).toBeGreaterThan(firstDelay);
    }
    expect(received).toEqual([]);

    // The SMTP server comes back: the next try delivers each message once.
    smtp = await startSmtp();
    clock.advance(Math.max(...second.map((j) => new Date(j.run_at).getTime() - now2)) + 1);
    await t.deps.worker.drain({ types: MAIL_TYPES });
    const done = await mailJobs();
    expect(done.map((j) => j.status)).toEqual(done.map(() => 'done'));
    expect(received).toHaveLength(done.length);

    // Later runs send nothing again.
    clock.advance(60 * 60_000);
    await t.deps.worker.drain({ types: MAIL_TYPES });
    expect(received).toHaveLength(done.length);
    const notificationIds = done.map(
      (j) => (JSON.parse(j.payload) as { notificationId: string }).notificationId,
    );
    expect(new Set(notificationIds).size).toBe(done.length);
    const recipients = await t.deps.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select('users.email')
      .where('notifications.id', 'in', notificationIds)
      .execute();
    expect(received.map((m) => m.to[0]).sort()).toEqual(
      recipients.map((r) => r.email.toLowerCase()).sort(),
    );
  });
});

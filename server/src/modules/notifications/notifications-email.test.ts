// E-mail: templates, the file outbox end to end, preferences, and SMTP trouble delaying (never
// losing) mail. Apps that drain the job worker get a database of their own on MariaDB, so they
// never run (or lose) another test file's jobs.
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/build-test-app.ts';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import { createMemoryMailer } from '../../platform/mail/memory-mailer.ts';
import { HOUR, manualClock } from '../../shared/clock.ts';
import { escapeHtml, renderEmail } from './notifications.email.ts';
import {
  createGame,
  mailJobsFor,
  notificationsOf,
  registerUser,
  signedInUser,
  type TestGame,
} from '../../../test/factories/index.ts';

describe('e-mail templates', () => {
  const base = {
    recipientName: 'Amy <b>',
    title: 'Tickets available: <script>alert(1)</script>',
    body: 'Seats "A&B" — it\'s <img src=x onerror=alert(1)>',
    link: '/listings/abc',
    publicUrl: 'https://tickets.example.tw',
  };

  it('when rendered, then user text is escaped in the HTML and links are absolute with a preferences footer', () => {
    const mail = renderEmail({ ...base, locale: 'en' });
    expect(mail.subject).toBe(base.title);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('Amy <b>');
    expect(mail.html).toContain(escapeHtml(base.body));
    expect(mail.html).toContain('href="https://tickets.example.tw/listings/abc"');
    expect(mail.html).toContain('href="https://tickets.example.tw/me/profile"');
    expect(mail.html).toContain('style=');
    expect(mail.text).toContain('View details: https://tickets.example.tw/listings/abc');
    expect(mail.text).toContain('https://tickets.example.tw/me/profile');
    expect(mail.text).toContain(base.body);
  });

  it('when rendered in zh-TW, then the frame is Chinese; a foreign or multi-line input cannot escape', () => {
    const mail = renderEmail({
      ...base,
      locale: 'zh-TW',
      title: '有票了\r\nBcc: evil@example.test',
      link: 'https://evil.example/phish',
    });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).toContain('查看詳情');
    expect(mail.html).toContain('調整 e-mail 通知設定');
    expect(mail.html).toContain('lang="zh-TW"');
    expect(mail.text).toContain('查看詳情: https://tickets.example.tw/');
    expect(mail.html).not.toContain('evil.example');
  });
});

/** A manual clock a minute ahead, so jobs enqueued at the real time are already due for the worker. */
const aheadClock = () => manualClock(new Date(Date.now() + 60_000));

async function listTicket(t: TestApp, game: TestGame, price: number) {
  const seller = await signedInUser(t); // no verification mail among the ones counted
  const area = game.areas[0]!;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/listings',
    headers: seller.auth,
    payload: {
      gameId: game.id,
      areaId: area.id,
      section: '12',
      quantity: 2,
      price,
      faceValue: area.face_value_max,
      deliveryMethod: 'eticket_transfer',
    },
  });
  return res;
}

async function reserve(t: TestApp, auth: Record<string, string>, gameId: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/reservations',
    headers: auth,
    payload: { gameId },
  });
  expect(res.statusCode).toBe(201);
}

async function readOutbox(dir: string) {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
  return Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(dir, f)))));
}

describe('e-mail delivery', () => {
  it("when a listing matches, then the file outbox holds an .eml per fan with the subject in the fan's language", async () => {
    const t = await buildPrivateTestApp({ clock: aheadClock() });
    try {
      const game = await createGame(t);
      const zh = await registerUser(t, { locale: 'zh-TW' });
      const en = await registerUser(t, { locale: 'en' });
      await reserve(t, zh.auth, game.id);
      await reserve(t, en.auth, game.id);
      const area = game.areas[0]!;
      expect((await listTicket(t, game, area.face_value_min)).statusCode).toBe(201);

      await t.deps.worker.drain();

      const mails = await readOutbox(t.config.mail.outboxDir);
      const byRecipient = new Map(mails.map((m) => [m.to && 'text' in m.to ? m.to.text : '', m]));
      const zhMail = byRecipient.get(zh.user.email)!;
      const enMail = byRecipient.get(en.user.email)!;
      expect(zhMail.subject).toBe('有票了：統一獅 vs 兄弟');
      expect(enMail.subject).toBe(
        'Tickets available: Uni-President 7-ELEVEn Lions vs CTBC Brothers',
      );
      expect(enMail.text).toContain('View details: http://localhost:3000/listings/');
      expect(String(zhMail.html)).toContain('http://localhost:3000/me/profile');
    } finally {
      await t.close();
    }
  });

  it('when a fan has turned e-mail off, then the bell still rings but no mail is queued or sent', async () => {
    const mailer = createMemoryMailer();
    const t = await buildPrivateTestApp({ clock: aheadClock(), mailer });
    try {
      const game = await createGame(t);
      const quiet = await registerUser(t);
      const off = await t.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: quiet.auth,
        payload: { emailNotifications: false },
      });
      expect(off.statusCode).toBe(200);
      const late = await registerUser(t);
      mailer.sent.length = 0; // the verification mails of registering
      await reserve(t, quiet.auth, game.id);
      await reserve(t, late.auth, game.id);
      expect((await listTicket(t, game, game.areas[0]!.face_value_min)).statusCode).toBe(201);
      // Run only the fan-out, then turn e-mail off for the second fan before the mail job runs.
      await t.deps.worker.runDueJobs();
      const [quietRow] = await notificationsOf(t, [quiet.user.id]);
      const [lateRow] = await notificationsOf(t, [late.user.id]);
      expect(quietRow && lateRow).toBeTruthy();
      expect(await mailJobsFor(t, [quietRow!.id])).toHaveLength(0);
      expect(await mailJobsFor(t, [lateRow!.id])).toHaveLength(1);
      await t.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: late.auth,
        payload: { emailNotifications: false },
      });
      await t.deps.worker.drain();
      expect(mailer.sent).toHaveLength(0);
    } finally {
      await t.close();
    }
  });

  it('when SMTP fails twice, then the seller still gets 201, and the mail job retries until it is sent once', async () => {
    const clock = aheadClock();
    const mailer = createMemoryMailer();
    const t = await buildPrivateTestApp({ clock, mailer });
    try {
      const game = await createGame(t);
      const fan = await registerUser(t, { locale: 'en' });
      mailer.sent.length = 0; // the verification mail of registering
      await reserve(t, fan.auth, game.id);
      mailer.failNext(2);
      expect((await listTicket(t, game, game.areas[0]!.face_value_min)).statusCode).toBe(201);

      await t.deps.worker.drain();
      const [row] = await notificationsOf(t, [fan.user.id]);
      expect(row).toBeTruthy();
      const jobState = async () => (await mailJobsFor(t, [row!.id]))[0]!;
      expect(await jobState()).toMatchObject({ status: 'pending', attempts: 1 });
      expect(mailer.sent).toHaveLength(0);

      for (let round = 0; round < 5 && mailer.sent.length === 0; round++) {
        clock.advance(HOUR);
        await t.deps.worker.drain();
      }
      expect(mailer.sent).toHaveLength(1);
      expect(mailer.sent[0]).toMatchObject({ to: fan.user.email, subject: row!.title });
      expect(await jobState()).toMatchObject({ status: 'done', attempts: 3 });
      // Nothing is sent twice afterwards.
      clock.advance(HOUR);
      await t.deps.worker.drain();
      expect(mailer.sent).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('when SMTP fails on every try, then the mail job dies after its last try and the delivery log says failed, not retrying', async () => {
    const clock = aheadClock();
    const mailer = createMemoryMailer();
    const t = await buildPrivateTestApp({ clock, mailer });
    try {
      const game = await createGame(t);
      const fan = await registerUser(t, { locale: 'en' });
      mailer.sent.length = 0; // the verification mail of registering
      await reserve(t, fan.auth, game.id);
      mailer.failNext(1_000);
      expect((await listTicket(t, game, game.areas[0]!.face_value_min)).statusCode).toBe(201);
      await t.deps.worker.drain();
      const [row] = await notificationsOf(t, [fan.user.id]);
      const emailDelivery = async () => {
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/notifications/${row!.id}/deliveries`,
          headers: fan.auth,
        });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json() as { items: { channel: string; status: string }[] }).items.find(
          (d) => d.channel === 'email',
        );
      };
      expect(await emailDelivery()).toMatchObject({ status: 'retrying' });
      const job = async () => (await mailJobsFor(t, [row!.id]))[0]!;
      for (let round = 0; round < 20 && (await job()).status !== 'dead'; round++) {
        clock.advance(HOUR);
        await t.deps.worker.drain();
      }
      expect(await job()).toMatchObject({ status: 'dead', attempts: 8 });
      expect(await emailDelivery()).toMatchObject({ status: 'failed' });
      expect(mailer.sent).toHaveLength(0);
    } finally {
      await t.close();
    }
  });

  it('when the SMTP server is down, then mail waits in the job table and goes out once it is back', async () => {
    const port = await freePort();
    const clock = aheadClock();
    const t = await buildPrivateTestApp({
      clock,
      env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://127.0.0.1:${port}` },
    });
    let smtp: SMTPServer | undefined;
    try {
      const game = await createGame(t);
      const fan = await registerUser(t);
      await reserve(t, fan.auth, game.id);
      expect((await listTicket(t, game, game.areas[0]!.face_value_min)).statusCode).toBe(201);
      await t.deps.worker.drain();
      const [row] = await notificationsOf(t, [fan.user.id]);
      expect((await mailJobsFor(t, [row!.id]))[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
      });

      const received: ParsedMail[] = [];
      smtp = new SMTPServer({
        secure: false,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          simpleParser(stream).then((m) => {
            received.push(m);
            callback();
          }, callback);
        },
      });
      await new Promise<void>((resolve) => smtp!.listen(port, '127.0.0.1', resolve));
      clock.advance(HOUR);
      await t.deps.worker.drain();
      expect(received).toHaveLength(1);
      expect(received[0]!.subject).toBe(row!.title);
      expect((await mailJobsFor(t, [row!.id]))[0]).toMatchObject({ status: 'done', attempts: 2 });
    } finally {
      await t.close();
      if (smtp) await new Promise<void>((resolve) => smtp!.close(() => resolve()));
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

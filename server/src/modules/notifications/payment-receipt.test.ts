// The buyer's receipt (issue 21 item 4): when a payment succeeds the buyer is told, in the bell and
// by e-mail, the order, the seats, the amount, that the money is held until they confirm, and the
// hand-over deadline.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import { getOrder, notificationsOf, paidOrder } from '../../../test/factories/index.ts';
import { manualClock } from '../../shared/clock.ts';
import { TEMPLATES } from './notifications.templates.ts';

async function readOutbox(dir: string) {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
  return Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(dir, f)))));
}

describe('payment receipt', () => {
  it('when a payment succeeds, then the buyer gets a receipt e-mail with order, seats, amount, escrow and deadline', async () => {
    const t = await buildPrivateTestApp({ clock: manualClock(new Date(Date.now() + 60_000)) });
    try {
      const sale = await paidOrder(t, { quantity: 2, price: 400 });
      const order = await getOrder(t, sale.buyer, sale.orderId);
      await t.deps.worker.drain();

      const bell = await notificationsOf(t, [sale.buyer.id]);
      expect(bell.map((n: { type: string }) => n.type)).toContain('payment_receipt');

      const buyer = await t.deps.db
        .selectFrom('users')
        .select('email')
        .where('id', '=', sale.buyer.id)
        .executeTakeFirstOrThrow();
      const mails = (await readOutbox(t.config.mail.outboxDir)).filter(
        (m) => m.to && 'text' in m.to && m.to.text === buyer.email,
      );
      const receipt = mails.find((m) => m.subject?.startsWith('付款成功'));
      expect(receipt, mails.map((m) => m.subject).join(' | ')).toBeDefined();
      const text = receipt!.text ?? '';
      expect(text).toContain(`訂單編號：${sale.orderId}`);
      expect(text).toContain('5 排');
      expect(text).toContain('7-8 號');
      expect(text).toContain('2 張 × NT$400');
      expect(text).toContain('付款金額：NT$800');
      expect(text).toContain('款項由平台代管');
      expect(order.deliverBy).toBeTruthy();
      expect(text).toMatch(/賣家須在 .+ 前交付票券/);
      expect(text).toContain(`/me/orders/${sale.orderId}`);
    } finally {
      await t.close();
    }
  });

  it('when rendered in English, then the receipt reads the same facts in English', () => {
    const view = {
      userId: 'u1',
      orderId: 'o1',
      role: 'buyer' as const,
      game: {
        id: 'g1',
        startsAt: '2026-12-05T09:05:00.000Z',
        home: { zh: '兄弟', en: 'Brothers' },
        away: { zh: '獅', en: 'Lions' },
      },
      area: { zh: '內野', en: 'Infield' },
      seat: { section: 'A2', row: '3', seats: '7-8' },
      quantity: 2,
      price: 400,
      amount: 800,
      deliverBy: '2026-12-04T09:05:00.000Z',
    };
    const { title, body } = TEMPLATES.payment_receipt.render(view, 'en');
    expect(title).toBe('Payment received — your receipt: Lions vs Brothers');
    expect(body).toContain('Order: o1');
    expect(body).toContain('Seats: Infield · Section A2 · Row 3 · Seats 7-8');
    expect(body).toContain('Amount paid: NT$800');
    expect(body).toContain('We hold your payment');
    expect(body).toMatch(/must hand over the tickets by .*4 Dec/);
    expect(TEMPLATES.payment_receipt.link(view)).toBe('/me/orders/o1');
  });
});

describe('e-mail look', () => {
  it("when an e-mail is rendered, then it wears the site's navy and red, not green", async () => {
    const { renderEmail } = await import('./notifications.email.ts');
    const { html } = renderEmail({
      locale: 'zh-TW',
      recipientName: 'Bo',
      title: 't',
      body: 'b',
      link: '/',
      publicUrl: 'https://x.test',
    });
    expect(html).toContain('#0b3d91');
    expect(html).toContain('background:#c8102e');
    expect(html).not.toContain('#0b6e4f');
  });
});

// Reminders before the handover deadline (issue 18 item 3): scheduled when an order is paid, due
// 24 h and 2 h before `deliverBy` (those not already past), telling the seller in-site and by
// e-mail unless the ticket was sent or the deadline moved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { HOUR, manualClock } from '../../shared/clock.ts';
import {
  getOrder,
  notificationsAbout,
  orderAction,
  paidOrder,
  runJob,
} from '../../../test/factories/index.ts';

const clock = manualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

const remindersOf = async (orderId: string) =>
  (
    await t.deps.db
      .selectFrom('jobs')
      .select(['payload', 'run_at'])
      .where('type', '=', 'orders.delivery-reminder')
      .where('payload', 'like', `%${orderId}%`)
      .orderBy('run_at')
      .execute()
  ).map((j) => ({
    runAt: j.run_at,
    payload: JSON.parse(j.payload) as { orderId: string; deliverBy: string; hoursBefore: 24 | 2 },
  }));

const remindersSent = async (orderId: string) =>
  (await notificationsAbout(t, orderId)).filter((n) => n.type === 'delivery_reminder');

describe('delivery reminders', () => {
  it('when an order is paid, then the seller is reminded 2 h before the deadline (the 24 h one is the payment notice when the window is 24 h)', async () => {
    const sale = await paidOrder(t);
    const order = await getOrder(t, sale.seller, sale.orderId);
    const deliverBy = Date.parse(order.deliverBy);
    expect(deliverBy - Date.parse(order.paidAt)).toBe(24 * HOUR);
    const jobs = await remindersOf(sale.orderId);
    expect(jobs.map((j) => j.payload.hoursBefore)).toEqual([2]);
    expect(Date.parse(jobs[0]!.runAt)).toBe(deliverBy - 2 * HOUR);

    clock.advance(22 * HOUR);
    await runJob(t, { type: 'orders.delivery-reminder' }, jobs[0]!.payload);
    const sent = await remindersSent(sale.orderId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ userId: sale.seller.id, params: { orderId: sale.orderId } });
  });

  it('when the deadline is more than a day away, then both reminders are scheduled at 24 h and 2 h before it', async () => {
    const sale = await paidOrder(t);
    // Moved later by an admin's schedule change: reminders follow the deadline they carry.
    const later = new Date(clock.now().getTime() + 3 * 24 * HOUR).toISOString();
    const { scheduleDeliveryReminders } = await import('./orders.reminders.ts');
    await t.deps.db
      .updateTable('orders')
      .set({ deliver_by: later })
      .where('id', '=', sale.orderId)
      .execute();
    await scheduleDeliveryReminders(t.deps.db, { id: sale.orderId }, later, clock.now(), null);
    const fresh = (await remindersOf(sale.orderId)).filter((j) => j.payload.deliverBy === later);
    expect(fresh.map((j) => [j.payload.hoursBefore, j.runAt])).toEqual([
      [24, new Date(Date.parse(later) - 24 * HOUR).toISOString()],
      [2, new Date(Date.parse(later) - 2 * HOUR).toISOString()],
    ]);
    // The reminder of the old deadline does nothing now.
    const stale = (await remindersOf(sale.orderId)).find((j) => j.payload.deliverBy !== later)!;
    await runJob(t, { type: 'orders.delivery-reminder' }, stale.payload);
    expect(await remindersSent(sale.orderId)).toHaveLength(0);
    await runJob(t, { type: 'orders.delivery-reminder' }, fresh[0]!.payload);
    expect(await remindersSent(sale.orderId)).toHaveLength(1);
  });

  it('when the ticket was sent before the reminder is due, then nobody is reminded', async () => {
    const sale = await paidOrder(t);
    const [job] = await remindersOf(sale.orderId);
    expect((await orderAction(t, sale.seller, sale.orderId, 'deliver')).statusCode).toBe(200);
    await runJob(t, { type: 'orders.delivery-reminder' }, job!.payload);
    expect(await remindersSent(sale.orderId)).toHaveLength(0);
  });
});

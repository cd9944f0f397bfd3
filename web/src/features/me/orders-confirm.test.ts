// @vitest-environment jsdom
// Irreversible money actions wait for a dialog that states the consequence and the amount; a
// refund or cancellation needs a reason, which is sent to the server (issue 21 item 3).
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderSummary } from '../../api/types.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { orderFixture as order } from '../../testing/order-fixture.ts';
import { renderPage } from '../../testing/render-page.ts';
import { meQuery } from '../auth/session.ts';
import { myOrdersQuery, orderQuery } from '../checkout/orders-api.ts';
import MyOrdersPage from './orders-page.tsx';

const me = { id: 'u1', name: 'Bo', email: 'bo@example.test', role: 'user' };
function show(o: OrderSummary, role: 'buyer' | 'seller') {
  return renderPage(MyOrdersPage, {
    path: '/me/orders',
    url: `/me/orders?role=${role}`,
    data: [
      [meQuery.queryKey, me],
      [myOrdersQuery(role).queryKey, { items: [o], nextCursor: null }],
    ],
  });
}

const p = zhPages;
let fetchMock: ReturnType<typeof vi.fn>;
beforeAll(() => loadPageStrings());
beforeEach(() => {
  fetchMock = vi.fn(async () => new Response(JSON.stringify({}), { status: 200 }));
  vi.stubGlobal('fetch', fetchMock);
});
/** The POSTs sent (refetches after a success are GETs). */
const posts = () =>
  fetchMock.mock.calls.filter(
    ([, init]) => (init as RequestInit | undefined)?.method === 'POST',
  ) as [string, RequestInit][];
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('confirming money actions', () => {
  it('when the seller presses "cannot send, refund", then nothing is sent until a dialog with the amount is confirmed with a reason', async () => {
    show(order('paid', ['cancel', 'deliver']), 'seller');
    const opener = screen.getByRole('button', { name: p.orders.sellerCancel });
    opener.focus();
    fireEvent.click(opener);
    expect(fetchMock).not.toHaveBeenCalled();
    const dialog = screen.getByRole('dialog', { name: p.confirm.sellerCancelTitle });
    expect(dialog.textContent).toContain(p.confirm.sellerCancelBody);
    expect(dialog.textContent).toMatch(/1,600/);
    const submit = within(dialog).getByRole('button', { name: p.orders.sellerCancel });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    const reason = screen.getByRole('textbox');
    expect(document.activeElement).toBe(reason);
    fireEvent.change(reason, { target: { value: '臨時有事' } });
    fireEvent.click(submit);
    await waitFor(() => expect(posts()).toHaveLength(1));
    const [url, init] = posts()[0]!;
    expect(url).toBe('/api/orders/o1/cancel');
    expect(JSON.parse(String(init.body))).toEqual({ reason: '臨時有事' });
  });

  it('when the buyer presses "I have the tickets", then a dialog says the money goes to the seller, and Escape sends nothing and returns focus', () => {
    show(order('delivered', ['confirm', 'dispute']), 'buyer');
    const opener = screen.getByRole('button', { name: p.orders.confirm });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: p.confirm.confirmTitle });
    expect(dialog.textContent).toContain(p.confirm.confirmBody);
    expect(dialog.textContent).toMatch(/1,600/);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(opener);
  });

  it('when the buyer confirms in the dialog, then the confirm request is sent', async () => {
    show(order('delivered', ['confirm', 'dispute']), 'buyer');
    fireEvent.click(screen.getByRole('button', { name: p.orders.confirm }));
    const dialog = screen.getByRole('dialog', { name: p.confirm.confirmTitle });
    fireEvent.click(within(dialog).getByRole('button', { name: p.orders.confirm }));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(posts()[0]![0]).toBe('/api/orders/o1/confirm');
  });
});

describe('the order timeline', () => {
  it("when the server's English account of a step comes with no person's words, then only the translated step shows; a person's words show as theirs", () => {
    const at = new Date().toISOString();
    const detail = {
      ...order('delivered', ['confirm', 'dispute']),
      deliveryNote: null,
      disputeReason: null,
      disputeCode: null,
      disputePhotos: [],
      payment: null,
      refund: null,
      payout: null,
      timeline: [
        {
          from: null,
          to: 'pending_payment',
          actor: 'buyer',
          reason: 'checkout hold',
          note: null,
          at,
        },
        {
          from: 'pending_payment',
          to: 'paid',
          actor: 'system',
          reason: 'payment confirmed',
          note: null,
          at,
        },
        {
          from: 'paid',
          to: 'delivered',
          actor: 'seller',
          reason: 'ticket sent',
          note: '已轉贈',
          at,
        },
      ],
    };
    renderPage(MyOrdersPage, {
      path: '/me/orders/:id',
      url: '/me/orders/o1?role=buyer',
      data: [
        [meQuery.queryKey, me],
        [myOrdersQuery('buyer').queryKey, { items: [detail], nextCursor: null }],
        [orderQuery('o1').queryKey, detail],
      ],
    });
    const timeline = document.querySelector('.timeline')!;
    expect(timeline.textContent).not.toMatch(/ticket sent|payment confirmed|checkout hold/);
    expect(timeline.textContent).toContain('已轉贈');
    expect(timeline.textContent).toContain(p.orderStatus.delivered);
  });
});

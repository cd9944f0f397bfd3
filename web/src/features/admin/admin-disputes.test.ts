// @vitest-environment jsdom
// An admin's refund or release of a disputed order waits for a dialog with the amount; either needs
// a note, which is sent with the outcome and reaches both parties (issue 21 item 3, issue 18
// item 6). The case view shows the evidence and both parties' records; hand-over health (item 8).
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { orderFixture } from '../../testing/order-fixture.ts';
import { renderPage } from '../../testing/render-page.ts';
import { conversationQuery } from '../conversations/conversation-api.ts';
import { disputesQuery } from './admin-api.ts';
import { disputeQuery, handoverHealthQuery } from './admin-disputes.tsx';
import AdminPage from './admin-page.tsx';

const p = zhPages;
let fetchMock: ReturnType<typeof vi.fn>;
beforeAll(() => loadPageStrings());
beforeEach(() => {
  fetchMock = vi.fn(async () => new Response(JSON.stringify({ items: [], nextCursor: null })));
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
const posts = () =>
  fetchMock.mock.calls.filter(([, init]) => (init as RequestInit | undefined)?.method === 'POST');

describe('admin: settling a dispute', () => {
  it('when the admin presses "refund the buyer", then a dialog with the amount asks for a reason before anything is sent', async () => {
    const disputed = {
      ...orderFixture('disputed', ['refund', 'release']),
      disputeReason: '座位不對',
      deliveryNote: null,
    };
    renderPage(AdminPage, {
      path: '/admin',
      url: '/admin',
      data: [[disputesQuery.queryKey, { items: [disputed], nextCursor: null }]],
    });
    fireEvent.click(screen.getByRole('button', { name: p.admin.disputes }));
    fireEvent.click(screen.getByRole('button', { name: p.admin.refund }));
    const dialog = screen.getByRole('dialog', { name: p.confirm.refundTitle });
    expect(dialog.textContent).toMatch(/1,600/);
    const submit = within(dialog).getByRole('button', { name: p.admin.refund });
    fireEvent.click(submit);
    expect(posts()).toHaveLength(0);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '賣家未回應' } });
    fireEvent.click(submit);
    await waitFor(() => expect(posts()).toHaveLength(1));
    const [url, init] = posts()[0] as [string, RequestInit];
    expect(url).toBe('/api/admin/orders/o1/resolve');
    expect(JSON.parse(String(init.body))).toEqual({ outcome: 'refund', reason: '賣家未回應' });
  });
});

const party = (id: string, name: string) => ({
  id,
  name,
  memberSince: '2026-01-02T00:00:00.000Z',
  ordersBought: 3,
  disputesOpened: 2,
  ordersSold: 7,
  disputesAgainst: 1,
  disputesLost: 1,
  strikes: 2,
  sellingPausedUntil: null,
});

describe('admin: the dispute case', () => {
  const disputed = {
    ...orderFixture('disputed', ['refund', 'release']),
    disputeReason: '座位不對',
    deliveryNote: null,
  };

  it('when the admin releases to the seller, then a note is required too, and it is sent', async () => {
    renderPage(AdminPage, {
      path: '/admin',
      url: '/admin',
      data: [[disputesQuery.queryKey, { items: [disputed], nextCursor: null }]],
    });
    fireEvent.click(screen.getByRole('button', { name: p.admin.disputes }));
    fireEvent.click(screen.getByRole('button', { name: p.admin.release }));
    const dialog = screen.getByRole('dialog', { name: p.confirm.releaseTitle });
    const submit = within(dialog).getByRole('button', { name: p.admin.release });
    fireEvent.click(submit);
    expect(posts()).toHaveLength(0);
    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: '買家已入場' } });
    fireEvent.click(submit);
    await waitFor(() => expect(posts()).toHaveLength(1));
    const [, init] = posts()[0] as [string, RequestInit];
    expect(JSON.parse(String(init.body))).toEqual({ outcome: 'release', reason: '買家已入場' });
  });

  it('when the admin opens the case, then the reason, the photos, the proof, the conversation (read only) and both records show', () => {
    renderPage(AdminPage, {
      path: '/admin',
      url: '/admin',
      data: [
        [disputesQuery.queryKey, { items: [disputed], nextCursor: null }],
        [
          disputeQuery('o1').queryKey,
          {
            order: {
              ...disputed,
              timeline: [],
              disputeCode: 'wrong_seats',
              disputePhotos: [],
              proof: {
                kind: 'tracking',
                trackingNumber: 'RR123456789TW',
                at: '2026-11-28T10:00:00.000Z',
              },
            },
            reasonCode: 'wrong_seats',
            reason: '座位不對',
            openedAt: '2026-11-29T10:00:00.000Z',
            photos: [{ id: 'ph1', url: '/api/orders/o1/dispute-photos/ph1', thumbUrl: '/t' }],
            buyer: party('u2', 'Al'),
            seller: party('u1', 'Bo'),
          },
        ],
        [
          conversationQuery('o1').queryKey,
          {
            orderId: 'o1',
            messages: [
              {
                id: 'm1',
                from: 'seller',
                mine: false,
                body: '已寄出，請查收',
                photoUrl: null,
                flagged: false,
                readAt: null,
                createdAt: '2026-11-28T10:05:00.000Z',
              },
            ],
            open: false,
            closedReason: 'read_only',
            closesAt: null,
            unread: 0,
          },
        ],
      ],
    });
    fireEvent.click(screen.getByRole('button', { name: p.admin.disputes }));
    fireEvent.click(screen.getByRole('button', { name: p.admin.openDispute }));
    expect(screen.getByText(p.dispute.reason.wrong_seats)).toBeTruthy();
    const img = screen.getByRole('img', { name: p.dispute.photoAlt.replace('{{n}}', '1') });
    expect(img.closest('a')!.getAttribute('href')).toBe('/api/orders/o1/dispute-photos/ph1');
    expect(screen.getByRole('heading', { name: p.handover.proof.title })).toBeTruthy();
    expect(screen.getByText('RR123456789TW')).toBeTruthy();
    expect(screen.getByRole('heading', { name: p.conversation.title })).toBeTruthy();
    expect(screen.getByText('已寄出，請查收')).toBeTruthy();
    expect(screen.getByText(p.conversation.readOnly)).toBeTruthy();
    expect(screen.queryByLabelText(p.conversation.label)).toBeNull();
    expect(screen.getByRole('heading', { name: `${p.orders.seller}: Bo` })).toBeTruthy();
    expect(screen.getAllByText(p.admin.party.strikes)).toHaveLength(2);
  });

  it('when the admin opens hand-over health, then the on-time share, the median and disputes by age show', () => {
    renderPage(AdminPage, {
      path: '/admin',
      url: '/admin',
      data: [
        [
          handoverHealthQuery(30).queryKey,
          {
            windowDays: 30,
            handoversDue: 4,
            handoversOnTime: 1,
            onTimeShare: 0.25,
            medianMinutesToSend: 180,
            openDisputes: [
              { bucket: 'under_1d', count: 1 },
              { bucket: '1_to_3d', count: 0 },
              { bucket: '3_to_7d', count: 0 },
              { bucket: 'over_7d', count: 2 },
            ],
          },
        ],
      ],
    });
    fireEvent.click(screen.getByRole('button', { name: p.admin.health }));
    const values = screen.getAllByRole('definition').map((d) => d.textContent);
    expect(values).toEqual(['25%（4 筆中 1 筆）', '3 小時', '1', '0', '0', '2']);
  });
});

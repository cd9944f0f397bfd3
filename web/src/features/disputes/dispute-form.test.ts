// @vitest-environment jsdom
// The buyer's dispute (issue 18 item 6): a reason from the list is required, "other" needs the
// buyer's words, and the form is sent as multipart with the photos.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { orderFixture } from '../../testing/order-fixture.ts';
import { renderPage } from '../../testing/render-page.ts';
import { meQuery } from '../auth/session.ts';
import { myOrdersQuery } from '../checkout/orders-api.ts';
import MyOrdersPage, { DisputeEvidence } from '../me/orders-page.tsx';
import { disputeFormData, disputeProblem } from './dispute-form.tsx';

const p = zhPages;
const photo = (name: string) => new File([new Uint8Array([1, 2, 3])], name, { type: 'image/jpeg' });

describe('dispute rules', () => {
  it('when no reason is picked, or "other" has no words, or there are too many photos, then it cannot be sent', () => {
    expect(disputeProblem(null, 'x', [])).toBe('pickReason');
    expect(disputeProblem('other', '  ', [])).toBe('describeOther');
    expect(disputeProblem('other', '票是假的', [])).toBeNull();
    expect(disputeProblem('not_received', '', [])).toBeNull();
    expect(
      disputeProblem(
        'wrong_seats',
        '',
        [1, 2, 3, 4].map((n) => photo(`${n}.jpg`)),
      ),
    ).toBe('tooManyPhotos');
  });

  it('when sent, then the form carries the code, the trimmed words and each photo in "images"', () => {
    const form = disputeFormData('wrong_seats', '  12 排  ', [photo('a.jpg'), photo('b.jpg')]);
    expect(form.get('reasonCode')).toBe('wrong_seats');
    expect(form.get('reason')).toBe('12 排');
    expect(form.getAll('images').map((f) => (f as File).name)).toEqual(['a.jpg', 'b.jpg']);
    expect(disputeFormData('not_received', ' ', []).has('reason')).toBe(false);
  });
});

let fetchMock: ReturnType<typeof vi.fn>;
beforeAll(() => loadPageStrings());
beforeEach(() => {
  fetchMock = vi.fn(async () => new Response(JSON.stringify({}), { status: 200 }));
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('dispute form on the order', () => {
  it('when the buyer opens a dispute, then it waits for a reason, "other" waits for words, and the POST is multipart', async () => {
    const order = orderFixture('delivered', ['confirm', 'dispute']);
    renderPage(MyOrdersPage, {
      path: '/me/orders',
      url: '/me/orders?role=buyer',
      data: [
        [meQuery.queryKey, { id: 'u2', name: 'Al', email: 'al@example.test', role: 'user' }],
        [myOrdersQuery('buyer').queryKey, { items: [order], nextCursor: null }],
      ],
    });
    fireEvent.click(screen.getByRole('button', { name: p.orders.dispute }));
    const submit = () =>
      screen.getAllByRole('button', { name: p.orders.dispute }).find((b) => b.closest('form'))!;
    expect(submit()).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('radio', { name: p.dispute.reason.other }));
    expect(submit()).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '票是假的' } });
    expect(submit()).toHaveProperty('disabled', false);
    fireEvent.click(submit());
    await waitFor(() =>
      expect(
        fetchMock.mock.calls.filter(([, init]) => (init as RequestInit)?.method === 'POST'),
      ).toHaveLength(1),
    );
    const [url, init] = fetchMock.mock.calls.find(
      ([, init]) => (init as RequestInit)?.method === 'POST',
    ) as [string, RequestInit];
    expect(url).toBe('/api/orders/o1/dispute');
    const body = init.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    expect(body.get('reasonCode')).toBe('other');
    expect(body.get('reason')).toBe('票是假的');
  });
});

describe('dispute evidence on the order', () => {
  it('when an order was disputed with photos, then the reason and a private link per photo show; otherwise nothing', () => {
    const base = orderFixture('disputed', []);
    const detail = {
      ...base,
      deliveryNote: null,
      disputeReason: '座位不對',
      disputeCode: 'wrong_seats' as const,
      disputePhotos: [{ id: 'ph1', url: '/api/orders/o1/dispute-photos/ph1', thumbUrl: '/t1' }],
      timeline: [],
      payment: null,
      refund: null,
      payout: null,
      recipient: null,
      recipientGiven: false,
      proof: null,
      handoverCode: null,
    };
    const { container } = render(createElement(DisputeEvidence, { order: detail }));
    expect(container.textContent).toContain(p.dispute.reason.wrong_seats);
    expect(container.textContent).toContain('座位不對');
    const link = screen.getByRole('link', { name: p.dispute.photoAlt.replace('{{n}}', '1') });
    expect(link.getAttribute('href')).toBe('/api/orders/o1/dispute-photos/ph1');
    cleanup();
    const none = render(
      createElement(DisputeEvidence, {
        order: { ...detail, disputeCode: null, disputeReason: null, disputePhotos: [] },
      }),
    );
    expect(none.container.textContent).toBe('');
  });
});

// @vitest-environment jsdom
// An admin's refund or release of a disputed order waits for a dialog with the amount; a refund
// needs a reason, which is sent with the outcome (issue 21 item 3).
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { orderFixture } from '../../testing/order-fixture.ts';
import { renderPage } from '../../testing/render-page.ts';
import { disputesQuery } from './admin-api.ts';
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

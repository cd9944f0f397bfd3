// @vitest-environment jsdom
// The member centre's notification settings: one checkbox per type and outside channel (in-site
// always on), the LINE column and link only when the server has LINE, and saving sends the grid.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NOTIFICATION_TYPES } from '../../../../shared/contracts/vocabulary.ts';
import type {
  LineStatus,
  NotificationPreferences,
} from '../../../../shared/contracts/notification-channels.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import {
  LINE_KEY,
  NotificationPreferencesSection,
  PREFERENCES_KEY,
} from './notification-preferences.tsx';

const prefs: NotificationPreferences = {
  types: NOTIFICATION_TYPES.map((type) => ({
    type,
    inSite: true,
    email: true,
    push: type === 'reservation_match',
    line: false,
  })),
  quietHours: null,
  channels: { email: true, push: true, lineAvailable: false, lineLinked: false },
};

function show(line: LineStatus) {
  return renderPage(NotificationPreferencesSection, {
    path: '/me/notifications',
    url: '/me/notifications',
    data: [
      [PREFERENCES_KEY, prefs],
      [LINE_KEY, line],
    ],
  });
}

const label = (type: keyof typeof zhPages.prefs.types, channel: string) =>
  `${zhPages.prefs.types[type]}：${channel}`;

beforeAll(() => loadPageStrings());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('notification preferences', () => {
  it('when LINE is not configured, then each type has in-site (fixed), e-mail and push boxes and no LINE', () => {
    show({ available: false, linked: false, displayName: null });
    const boxes = within(screen.getByRole('table')).getAllByRole('checkbox');
    expect(boxes).toHaveLength(NOTIFICATION_TYPES.length * 3);
    const inSite = screen.getByRole('checkbox', {
      name: label('reservation_match', zhPages.prefs.channel.inSite),
    }) as HTMLInputElement;
    expect(inSite.checked && inSite.disabled).toBe(true);
    const push = screen.getByRole('checkbox', {
      name: label('reservation_match', zhPages.prefs.channel.push),
    }) as HTMLInputElement;
    expect(push.checked).toBe(true);
    expect(screen.queryByText(zhPages.prefs.channel.line)).toBeNull();
    expect(screen.queryByRole('button', { name: zhPages.prefs.lineLink })).toBeNull();
  });

  it('when LINE is available and unlinked, then the LINE column and a link button show', () => {
    show({ available: true, linked: false, displayName: null });
    expect(within(screen.getByRole('table')).getAllByRole('checkbox')).toHaveLength(
      NOTIFICATION_TYPES.length * 4,
    );
    expect(screen.getByRole('button', { name: zhPages.prefs.lineLink })).toBeTruthy();
  });

  it('when LINE is linked, then it names the account and offers to unlink', () => {
    show({ available: true, linked: true, displayName: '阿明' });
    expect(screen.getByText(zhPages.prefs.lineLinked.replace('{{name}}', '阿明'))).toBeTruthy();
    expect(screen.getByRole('button', { name: zhPages.prefs.lineUnlink })).toBeTruthy();
  });

  it('when a box is toggled and the form saved, then PUT sends every type with the change', async () => {
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { types: { type: string }[] };
      return new Response(
        JSON.stringify({
          ...prefs,
          types: body.types.map((t) => ({ ...t, inSite: true })),
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    });
    vi.stubGlobal('fetch', fetch);
    show({ available: false, linked: false, displayName: null });
    const orderPaidPush = screen.getByRole('checkbox', {
      name: label('order_paid', zhPages.prefs.channel.push),
    }) as HTMLInputElement;
    expect(orderPaidPush.checked).toBe(false);
    fireEvent.click(orderPaidPush);
    expect(orderPaidPush.checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: zhPages.prefs.save }));
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/me/notification-preferences');
    expect(init.method).toBe('PUT');
    const sent = JSON.parse(String(init.body)) as {
      types: { type: string; email: boolean; push: boolean; line: boolean }[];
    };
    expect(sent.types).toHaveLength(NOTIFICATION_TYPES.length);
    expect(sent.types.find((t) => t.type === 'order_paid')).toEqual({
      type: 'order_paid',
      email: true,
      push: true,
      line: false,
    });
    expect(sent.types.find((t) => t.type === 'order_refunded')?.push).toBe(false);
    expect((sent as { quietHours?: unknown }).quietHours).toBeNull();
    await screen.findByRole('status');
  });

  it('when quiet hours are turned on and saved, then PUT sends the window and whether matches wait too', async () => {
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as NotificationPreferences;
      return new Response(JSON.stringify({ ...prefs, quietHours: body.quietHours }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
    vi.stubGlobal('fetch', fetch);
    show({ available: false, linked: false, displayName: null });
    const q = zhPages.prefs.quiet;
    expect(screen.queryByLabelText(q.start)).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: q.on }));
    const start = screen.getByLabelText(q.start) as HTMLInputElement;
    expect(start.value).toBe('22:00');
    fireEvent.change(start, { target: { value: '23:30' } });
    fireEvent.click(screen.getByRole('checkbox', { name: q.includeMatches }));
    fireEvent.click(screen.getByRole('button', { name: zhPages.prefs.save }));
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    const sent = JSON.parse(String(fetch.mock.calls[0]![1].body)) as NotificationPreferences;
    expect(sent.quietHours).toEqual({ start: '23:30', end: '07:00', includeMatches: true });
    await screen.findByRole('status');
    expect((screen.getByRole('checkbox', { name: q.on }) as HTMLInputElement).checked).toBe(true);
  });

  it('when quiet hours are on, then the form shows them and turning them off sends null', async () => {
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify(prefs), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    vi.stubGlobal('fetch', fetch);
    renderPage(NotificationPreferencesSection, {
      path: '/me/notifications',
      url: '/me/notifications',
      data: [
        [
          PREFERENCES_KEY,
          { ...prefs, quietHours: { start: '21:00', end: '06:30', includeMatches: false } },
        ],
        [LINE_KEY, { available: false, linked: false, displayName: null }],
      ],
    });
    const q = zhPages.prefs.quiet;
    expect((screen.getByLabelText(q.end) as HTMLInputElement).value).toBe('06:30');
    fireEvent.click(screen.getByRole('checkbox', { name: q.on }));
    fireEvent.click(screen.getByRole('button', { name: zhPages.prefs.save }));
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    const calls = fetch.mock.calls as unknown as [string, RequestInit][];
    expect(
      (JSON.parse(String(calls[0]![1].body)) as NotificationPreferences).quietHours,
    ).toBeNull();
  });
});

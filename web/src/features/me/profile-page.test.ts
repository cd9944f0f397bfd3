// @vitest-environment jsdom
// The profile page opened directly (the teams not yet loaded) shows the saved favourite team,
// not 「還沒決定」 (issue 21 item 7).
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import { meQuery } from '../auth/session.ts';
import ProfilePage from './profile-page.tsx';

const me = {
  id: 'u1',
  name: 'Bo',
  email: 'bo@example.test',
  role: 'user',
  favoriteTeamId: 't2',
  locale: 'zh-TW',
  emailNotifications: true,
  payoutAccount: null,
  createdAt: new Date().toISOString(),
};
const team = (id: string, name: string) => ({
  id,
  code: id,
  name,
  nameEn: name,
  shortName: name,
  color: '#123456',
});

beforeAll(() => loadPageStrings());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('profile page', () => {
  it('when opened directly and the teams arrive after the account, then the saved team is selected', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        await new Promise((r) => setTimeout(r, 20));
        return new Response(
          JSON.stringify({ items: [team('t1', '中信兄弟'), team('t2', '樂天桃猿')] }),
        );
      }),
    );
    renderPage(ProfilePage, {
      path: '/me/profile',
      url: '/me/profile',
      data: [[meQuery.queryKey, me]],
    });
    const select = await waitFor(
      () => screen.getByRole('combobox', { name: zhPages.auth.favoriteTeam }) as HTMLSelectElement,
    );
    await waitFor(() => expect(select.options.length).toBe(3));
    expect(select.value).toBe('t2');
  });
});

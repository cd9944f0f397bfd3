// @vitest-environment jsdom
// The season-ticket wizard: one seat across the chosen home games, one price rule, one request;
// the answer per game.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhTWPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import { teamsQuery } from '../home/home-api.ts';
import SeasonPage from './season-page.tsx';

const team = (id: string) => ({ id, code: id, name: id, nameEn: id, shortName: id, color: '#123' });
const stadium = {
  id: 's1',
  abbe: '洲際',
  name: '洲際',
  nameEn: 'Taichung',
  city: '台中',
  capacity: null,
};
const game = (id: string, day: number) => ({
  id,
  year: 2027,
  kind: 'A',
  gameNo: day,
  startsAt: new Date(Date.now() + day * 86_400_000).toISOString(),
  localDate: '2027-01-01',
  status: 'scheduled',
  homeTeam: team('H'),
  awayTeam: team('A'),
  stadium,
  listingCount: 0,
  minPrice: null,
  onSale: true,
  isDemo: false,
  canList: true,
  canReserve: true,
});

beforeAll(() => loadPageStrings());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('season page', () => {
  it('when a holder picks a seat, all home games and 90% of face value, then one bulk request lists them and the answer is shown', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            created: 2,
            results: ['g1', 'g2'].map((gameId, i) => ({
              gameId,
              status: 'created',
              listingId: `l${i}`,
              faceValue: 1000,
              price: 900,
              error: null,
            })),
          }),
          { status: 201, headers: { 'content-type': 'application/json' } },
        ),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderPage(SeasonPage, {
      path: '/sell/season',
      url: '/sell/season',
      data: [
        [teamsQuery.queryKey, { items: [team('H'), team('A')] }],
        [
          ['stadiums'],
          {
            items: [
              {
                ...stadium,
                areas: [
                  {
                    id: 'a1',
                    code: 'B',
                    name: '內野',
                    nameEn: 'Infield',
                    tier: 'infield',
                    faceValueMin: 500,
                    faceValueMax: 1000,
                  },
                ],
              },
            ],
          },
        ],
        [['season-games', 'H'], { items: [game('g1', 3), game('g2', 5)] }],
      ],
    });
    fireEvent.change(screen.getByLabelText(zhTWPages.season.team), { target: { value: 'H' } });
    fireEvent.change(await screen.findByLabelText(zhTWPages.sell.area), {
      target: { value: 'a1' },
    });
    fireEvent.change(screen.getByLabelText(zhTWPages.sell.section), { target: { value: 'B12' } });
    fireEvent.click(screen.getByRole('button', { name: zhTWPages.season.all }));
    fireEvent.click(screen.getByRole('button', { name: '刊登 2 場' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('已建立 2 筆刊登'));
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/listings/bulk');
    expect(JSON.parse(init.body as string)).toMatchObject({
      areaId: 'a1',
      section: 'B12',
      quantity: 2,
      splitRule: 'pairs',
      price: { kind: 'percentOfFace', percent: 90 },
      games: [{ gameId: 'g1' }, { gameId: 'g2' }],
    });
  });
});

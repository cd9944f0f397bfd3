import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { LISTING_SORTS } from '../../../../shared/contracts/vocabulary.ts';
import { isApiError } from '../../api/client.ts';
import type { GameDetail, PriceSummary } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { GameStatusBadge } from '../../components/game-card.tsx';
import { ListingRow } from '../../components/listing-row.tsx';
import { CardSkeleton, PageSkeleton } from '../../components/skeleton.tsx';
import { BellIcon } from '../../components/icons.tsx';
import { TeamDot } from '../../components/team-dot.tsx';
import { TableScroll } from '../../components/table-scroll.tsx';
import { formatGameTime, formatMoney } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName, matchTitle, stadiumName } from '../../lib/names.ts';
import NotFoundPage from '../../app/not-found-page.tsx';
import { useMe } from '../auth/session.ts';
import { myReservationsQuery } from '../reserve/reservations-api.ts';
import {
  GAME_POLL_MS,
  filtersFromParams,
  gameListingsQuery,
  gameQuery,
  priceSummaryQuery,
  type ListingFilters,
} from './games-api.ts';

// The seat map is its own chunk (geometry, shading, styles): never part of the first view.
const StadiumMap = lazy(() => import('../stadium-map/stadium-map.tsx'));

export function GameHeader({ game }: { game: GameDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <header className="game-header">
      <p className="eyebrow">
        {t(`gameKind.${game.kind}`)} · {t('game.number', { no: game.gameNo })}
      </p>
      <h1>
        <span className="team">
          <TeamDot color={game.awayTeam.color} />
          {localName(game.awayTeam, locale)}
        </span>{' '}
        <span className="vs">vs</span>{' '}
        <span className="team">
          <TeamDot color={game.homeTeam.color} />
          {localName(game.homeTeam, locale)}
        </span>
      </h1>
      <p className="game-facts">
        <time dateTime={game.startsAt}>{formatGameTime(game.startsAt, locale)}</time>
        <span>{stadiumName(game.stadium, locale)}</span>
        <GameStatusBadge status={game.status} />
      </p>
    </header>
  );
}

function GoingPrices({ summary, locale }: { summary: PriceSummary; locale: 'zh-TW' | 'en' }) {
  const { t } = useTranslation();
  const rows = summary.items.filter((a) => a.activeCount > 0 || a.medianSoldPrice !== null);
  if (rows.length === 0) return null;
  return (
    <section className="going-prices" aria-labelledby="going-title">
      <h2 id="going-title">{t('game.goingPrices')}</h2>
      <TableScroll labelledBy="going-title">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('game.area')}</th>
              <th scope="col">{t('game.active')}</th>
              <th scope="col">{t('game.lowest')}</th>
              <th scope="col">{t('game.median')}</th>
              <th scope="col">{t('game.medianSold')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.areaId}>
                <th scope="row">{localName(a, locale)}</th>
                <td>{a.activeCount}</td>
                <td>{formatMoney(a.minPrice)}</td>
                <td>{formatMoney(a.medianPrice)}</td>
                <td>{formatMoney(a.medianSoldPrice)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

export default function GamePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const filters: ListingFilters = filtersFromParams(params);
  const [draft, setDraft] = useState({
    min: params.get('min') ?? '',
    max: params.get('max') ?? '',
    qty: params.get('qty') ?? '',
  });

  const game = useQuery(gameQuery(id));
  const me = useMe();
  const reservations = useQuery({ ...myReservationsQuery, enabled: Boolean(me.data) });
  const poll = game.data?.onSale ? GAME_POLL_MS : false;
  const summary = useQuery({ ...priceSummaryQuery(id, filters.quantity), refetchInterval: poll });
  const listings = useInfiniteQuery({ ...gameListingsQuery(id, filters), refetchInterval: poll });
  useTitle(game.data ? matchTitle(game.data, locale) : null);

  const update = (changes: Record<string, string | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (!v) next.delete(k);
          else next.set(k, v);
        }
        return next;
      },
      { replace: true, preventScrollReset: true },
    );

  if (game.isPending) return <PageSkeleton />;
  if (game.isError) {
    if (isApiError(game.error, 'NOT_FOUND') || isApiError(game.error, 'VALIDATION_FAILED'))
      return <NotFoundPage />;
    return (
      <div className="page">
        <ErrorNotice error={game.error} />
      </div>
    );
  }
  const g = game.data;
  // Already alerted for this game: say so instead of offering the alert again (issue 21 item 7).
  const alerted = Boolean(
    reservations.data?.items.some((r) => r.game.id === g.id && r.status === 'active'),
  );
  const offerAlert = g.canReserve && !alerted;
  const items = listings.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(
    filters.areaId || filters.minPrice || filters.maxPrice || filters.quantity,
  );

  const applyDraft = (e: FormEvent) => {
    e.preventDefault();
    update({ min: draft.min, max: draft.max, qty: draft.qty });
  };

  return (
    <div className="page game-page">
      <GameHeader game={g} />
      {/* What the game allows is the server's answer (GameDetail), never worked out here. */}
      <div className="actions-row">
        {offerAlert && (
          <Link to={`/reserve/${g.id}`} className="button ghost">
            <BellIcon size={18} /> {t('game.notifyMe')}
          </Link>
        )}
        {alerted && (
          <Link to="/me/reservations" className="button ghost">
            <BellIcon size={18} /> {t('game.alertSet')}
          </Link>
        )}
        {g.canList && (
          <Link to={`/sell?game=${g.id}`} className="button ghost">
            {t('game.sellThis')}
          </Link>
        )}
      </div>
      {!g.onSale && <p className="notice">{t('game.notOnSale')}</p>}

      <section aria-labelledby="tickets-title">
        <h2 id="tickets-title">{t('game.tickets')}</h2>
        {g.onSale && (
          <Suspense fallback={null}>
            <StadiumMap
              stadiumId={g.stadium.id}
              stadiumName={stadiumName(g.stadium, locale)}
              prices={summary.data}
              selectedAreaId={filters.areaId}
              onSelect={(areaId) => update({ area: areaId })}
            />
          </Suspense>
        )}
        <form className="filters" onSubmit={applyDraft} aria-label={t('game.filters')}>
          <label>
            <span>{t('game.sort')}</span>
            <select value={filters.sort} onChange={(e) => update({ sort: e.target.value })}>
              {LISTING_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`sort.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('game.area')}</span>
            <select value={filters.areaId ?? ''} onChange={(e) => update({ area: e.target.value })}>
              <option value="">{t('game.allAreas')}</option>
              {g.areas.map((a) => (
                <option key={a.id} value={a.id}>
                  {localName(a, locale)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('game.minPrice')}</span>
            <input
              type="number"
              inputMode="numeric"
              min={0}
              value={draft.min}
              onChange={(e) => setDraft({ ...draft, min: e.target.value })}
            />
          </label>
          <label>
            <span>{t('game.maxPrice')}</span>
            <input
              type="number"
              inputMode="numeric"
              min={0}
              value={draft.max}
              onChange={(e) => setDraft({ ...draft, max: e.target.value })}
            />
          </label>
          <label>
            <span>{t('game.quantity')}</span>
            <select
              value={draft.qty}
              onChange={(e) => {
                setDraft({ ...draft, qty: e.target.value });
                update({ qty: e.target.value });
              }}
            >
              <option value="">{t('game.anyQuantity')}</option>
              {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
                <option key={n} value={n}>
                  {t('game.atLeast', { count: n })}
                </option>
              ))}
            </select>
          </label>
          <div className="filter-buttons">
            <button type="submit" className="button small">
              {t('game.apply')}
            </button>
            {filtered && (
              <button
                type="button"
                className="button ghost small"
                onClick={() => {
                  setDraft({ min: '', max: '', qty: '' });
                  update({ area: undefined, min: undefined, max: undefined, qty: undefined });
                }}
              >
                {t('game.clear')}
              </button>
            )}
          </div>
        </form>

        {listings.isError && <ErrorNotice error={listings.error} />}
        {listings.isPending ? (
          <CardSkeleton count={3} />
        ) : items.length === 0 ? (
          <div className="empty">
            <p>
              {filtered ? t('game.noMatch') : offerAlert ? t('game.empty') : t('game.noTickets')}
            </p>
            {offerAlert && (
              <Link to={`/reserve/${g.id}`} className="button">
                {t('game.notifyMe')}
              </Link>
            )}
          </div>
        ) : (
          <>
            <ul className="listing-list plain" aria-busy={listings.isFetching}>
              {items.map((l) => (
                <ListingRow key={l.id} listing={l} />
              ))}
            </ul>
            {listings.hasNextPage && (
              <p className="center">
                <button
                  type="button"
                  className="button ghost"
                  disabled={listings.isFetchingNextPage}
                  onClick={() => void listings.fetchNextPage()}
                >
                  {listings.isFetchingNextPage ? t('common.loading') : t('common.more')}
                </button>
              </p>
            )}
          </>
        )}
      </section>

      {/* Below the tickets: it arrives separately and must not push the list down. */}
      {summary.data && <GoingPrices summary={summary.data} locale={locale} />}
    </div>
  );
}

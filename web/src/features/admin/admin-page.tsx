// Operators: game status (postpone with a make-up date, cancel), disputes, hand-over health,
// payouts, listing takedown and user suspension.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { GAME_STATUSES } from '../../../../shared/contracts/vocabulary.ts';
import { api } from '../../api/client.ts';
import type { AdminListing, AdminUser, Game, GameStatus } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { SkeletonLines } from '../../components/skeleton.tsx';
import { TableScroll } from '../../components/table-scroll.tsx';
import { formatDateTime, formatGameTime, formatMoney, taipeiToday } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { matchTitle, stadiumName } from '../../lib/names.ts';
import { GAMES_KEY } from '../home/home-api.ts';
import {
  ADMIN_GAMES_KEY,
  ADMIN_SEARCH_KEY,
  adminGamesQuery,
  adminSearchQuery,
  disputesQuery,
  gameChangesQuery,
  payoutsQuery,
  SCHEDULE_KEY,
  syncStatusQuery,
} from './admin-api.ts';
import { DisputeDetail, HandoverHealthAdmin } from './admin-disputes.tsx';

/** Six days after a YYYY-MM-DD date (a week of games), or '' for an invalid date. */
export function weekAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return '';
  d.setUTCDate(d.getUTCDate() + 6);
  return d.toISOString().slice(0, 10);
}

/** `2026-11-28T18:35` typed as Taipei time → ISO UTC. */
export function taipeiInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const d = new Date(`${value}:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function GameRow({ game }: { game: Game }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const [status, setStatus] = useState<GameStatus>(game.status);
  const [makeUp, setMakeUp] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const startsAt = makeUp ? taipeiInputToIso(makeUp) : null;
      return api<Game>(`/api/admin/games/${game.id}`, {
        method: 'PATCH',
        body: startsAt ? { status, startsAt } : { status },
      });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: GAMES_KEY });
      void qc.invalidateQueries({ queryKey: ADMIN_GAMES_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (status === 'cancelled' && !window.confirm(t('admin.confirmCancelGame'))) return;
    save.mutate();
  };
  return (
    <li className="card">
      <form className="admin-game" onSubmit={submit}>
        <div>
          <Link to={`/games/${game.id}`}>
            <strong>{matchTitle(game, locale)}</strong>
          </Link>
          <br />
          <span className="muted small">
            {formatGameTime(game.startsAt, locale)} · {stadiumName(game.stadium, locale)} ·{' '}
            {t(`gameStatus.${game.status}`)}
          </span>
        </div>
        <label className="field">
          <span>{t('admin.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as GameStatus)}>
            {GAME_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`gameStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {(status === 'postponed' || status === 'scheduled') && (
          <label className="field">
            <span>{t('admin.makeUp')}</span>
            <input
              type="datetime-local"
              value={makeUp}
              onChange={(e) => setMakeUp(e.target.value)}
            />
          </label>
        )}
        <button type="submit" className="button small" disabled={save.isPending}>
          {t('common.save')}
        </button>
        {save.isSuccess && <span className="small">{t('common.done')}</span>}
        {save.isError && <ErrorNotice error={save.error} />}
      </form>
    </li>
  );
}

function GamesAdmin() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<GameStatus | ''>('');
  const [from, setFrom] = useState(taipeiToday());
  const games = useInfiniteQuery(adminGamesQuery({ q, status, from }));
  const items = games.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="admin-games" className="admin-find">
      <h2 id="admin-games">{t('admin.games')}</h2>
      <form
        className="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(text.trim());
        }}
      >
        <label className="field">
          <span>{t('adminFind.games')}</span>
          <input
            type="search"
            value={text}
            placeholder={t('adminFind.gamesHint')}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('admin.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as GameStatus | '')}>
            <option value="">{t('adminFind.allStatuses')}</option>
            {GAME_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`gameStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('adminFind.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <button type="submit" className="button small">
          {t('adminFind.search')}
        </button>
      </form>
      {games.isPending ? (
        <SkeletonLines />
      ) : games.isError ? (
        <ErrorNotice error={games.error} />
      ) : items.length === 0 ? (
        <p className="empty">{t('adminFind.noResults')}</p>
      ) : (
        <ul className="order-list plain">
          {items.map((g) => (
            <GameRow key={g.id} game={g} />
          ))}
        </ul>
      )}
      {games.hasNextPage && (
        <p className="center">
          <button
            type="button"
            className="button ghost"
            disabled={games.isFetchingNextPage}
            onClick={() => void games.fetchNextPage()}
          >
            {t('common.more')}
          </button>
        </p>
      )}
    </section>
  );
}

function DisputesAdmin() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const disputes = useQuery(disputesQuery);
  const [opened, setOpened] = useState<string | null>(null);
  // Refund and release move money for good: each waits for a dialog (issue 21 item 3).
  const [settling, setSettling] = useState<{
    order: { id: string; amount: number };
    outcome: 'refund' | 'release';
  } | null>(null);
  const resolve = useMutation({
    mutationFn: ({
      id,
      outcome,
      reason,
    }: {
      id: string;
      outcome: 'refund' | 'release';
      reason: string;
    }) => api(`/api/admin/orders/${id}/resolve`, { method: 'POST', body: { outcome, reason } }),
    onSuccess: () => {
      setSettling(null);
      void qc.invalidateQueries({ queryKey: disputesQuery.queryKey });
    },
  });
  const items = disputes.data?.items ?? [];
  return (
    <section aria-labelledby="admin-disputes">
      <h2 id="admin-disputes">{t('admin.disputes')}</h2>
      {disputes.isError && <ErrorNotice error={disputes.error} />}
      {resolve.isError && !settling && <ErrorNotice error={resolve.error} />}
      {settling && (
        <ConfirmDialog
          title={t(settling.outcome === 'refund' ? 'confirm.refundTitle' : 'confirm.releaseTitle')}
          consequence={t(
            settling.outcome === 'refund' ? 'confirm.refundBody' : 'confirm.releaseBody',
          )}
          amount={settling.order.amount}
          amountLabel={t(
            settling.outcome === 'refund' ? 'confirm.refundAmount' : 'confirm.releaseAmount',
          )}
          confirmLabel={t(settling.outcome === 'refund' ? 'admin.refund' : 'admin.release')}
          // Both parties receive the note (bell and e-mail): it is required either way.
          reason="required"
          reasonLabel={t('admin.resolveNote')}
          busy={resolve.isPending}
          error={resolve.error}
          onClose={() => {
            setSettling(null);
            resolve.reset();
          }}
          onConfirm={(reason) =>
            resolve.mutate({
              id: settling.order.id,
              outcome: settling.outcome,
              reason: reason ?? '',
            })
          }
        />
      )}
      {disputes.isPending ? (
        <SkeletonLines />
      ) : items.length === 0 ? (
        <p className="empty">{t('admin.noDisputes')}</p>
      ) : (
        <ul className="order-list plain">
          {items.map((o) => (
            <li key={o.id} className="card">
              <p>
                <strong>{matchTitle(o.listing.game, locale)}</strong> · {formatMoney(o.amount)}
              </p>
              <p className="small muted">
                {t('orders.buyer')}: {o.buyer.name} · {t('orders.seller')}: {o.seller.name}
              </p>
              {o.disputeReason && <p className="user-text">{o.disputeReason}</p>}
              <div className="actions-row">
                <button
                  type="button"
                  className="button ghost small"
                  aria-expanded={opened === o.id}
                  onClick={() => setOpened(opened === o.id ? null : o.id)}
                >
                  {opened === o.id ? t('admin.hideDispute') : t('admin.openDispute')}
                </button>
                {o.actions.includes('refund') && (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => setSettling({ order: o, outcome: 'refund' })}
                  >
                    {t('admin.refund')}
                  </button>
                )}
                {o.actions.includes('release') && (
                  <button
                    type="button"
                    className="button ghost small"
                    onClick={() => setSettling({ order: o, outcome: 'release' })}
                  >
                    {t('admin.release')}
                  </button>
                )}
              </div>
              {opened === o.id && <DisputeDetail orderId={o.id} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PayoutsAdmin() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const payouts = useInfiniteQuery(payoutsQuery);
  const markPaid = useMutation({
    mutationFn: (id: string) => api(`/api/admin/payouts/${id}/paid`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: payoutsQuery.queryKey }),
  });
  const items = payouts.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="admin-payouts">
      <h2 id="admin-payouts">{t('admin.payouts')}</h2>
      {payouts.isError && <ErrorNotice error={payouts.error} />}
      {markPaid.isError && <ErrorNotice error={markPaid.error} />}
      {payouts.isPending ? (
        <SkeletonLines />
      ) : items.length === 0 ? (
        <p className="empty">{t('admin.noPayouts')}</p>
      ) : (
        <TableScroll labelledBy="admin-payouts">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('orders.seller')}</th>
                <th scope="col">{t('adminFind.order')}</th>
                <th scope="col">{t('admin.amount')}</th>
                <th scope="col">{t('admin.created')}</th>
                <th scope="col">{t('admin.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.seller.name}
                    {p.seller.payoutAccount && (
                      <span className="muted small block">
                        {p.seller.payoutAccount.bankCode} {p.seller.payoutAccount.accountMasked}
                      </span>
                    )}
                  </td>
                  <td>
                    <Link to={`/me/orders/${p.orderId}`} title={p.orderId}>
                      <span className="visually-hidden">{t('adminFind.openOrder')}</span>{' '}
                      {p.orderId.slice(-8)}
                    </Link>
                  </td>
                  <td>{formatMoney(p.amount)}</td>
                  <td>{formatDateTime(p.createdAt, locale)}</td>
                  <td>{t(`admin.payout_${p.status}`)}</td>
                  <td>
                    {p.status !== 'paid' && (
                      <button
                        type="button"
                        className="button small"
                        onClick={() => markPaid.mutate(p.id)}
                      >
                        {t('admin.markPaid')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {payouts.hasNextPage && (
        <p className="center">
          <button
            type="button"
            className="button ghost"
            disabled={payouts.isFetchingNextPage}
            onClick={() => void payouts.fetchNextPage()}
          >
            {t('common.more')}
          </button>
        </p>
      )}
    </section>
  );
}

/** Takes an id or a pasted page URL (…/listings/<id>, …/users/<id>). */
export function idFromInput(value: string): string {
  const trimmed = value
    .trim()
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '');
  return trimmed.split('/').pop() ?? '';
}

/** A search box whose submitted words drive a paged admin search (users or listings). */
function useFinder<T>(kind: 'users' | 'listings') {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const results = useInfiniteQuery(adminSearchQuery<T>(kind, q));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const typed = text.trim();
    // A pasted page URL (…/listings/<id>, …/users/<id>) searches by its id.
    setQ(typed.includes('/') ? idFromInput(typed) : typed);
  };
  return { text, setText, q, submit, results };
}

function FinderForm({
  id,
  label,
  hint,
  finder,
}: {
  id: string;
  label: string;
  hint: string;
  finder: { text: string; setText: (v: string) => void; submit: (e: FormEvent) => void };
}) {
  const { t } = useTranslation();
  return (
    <form className="inline-form" role="search" aria-labelledby={id} onSubmit={finder.submit}>
      <label className="field">
        <span id={id}>{label}</span>
        <input
          type="search"
          value={finder.text}
          aria-describedby={`${id}-hint`}
          onChange={(e) => finder.setText(e.target.value)}
        />
      </label>
      <span id={`${id}-hint`} className="muted small">
        {hint}
      </span>
      <button type="submit" className="button small">
        {t('adminFind.search')}
      </button>
    </form>
  );
}

function ListingFinder() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const finder = useFinder<AdminListing>('listings');
  const takedown = useMutation({
    mutationFn: (id: string) =>
      api(`/api/admin/listings/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: [...ADMIN_SEARCH_KEY, 'listings'] }),
  });
  const items = finder.results.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="admin-find">
      <FinderForm
        id="find-listings"
        label={t('adminFind.listings')}
        hint={t('adminFind.listingsHint')}
        finder={finder}
      />
      {takedown.isError && <ErrorNotice error={takedown.error} />}
      {finder.results.isError && <ErrorNotice error={finder.results.error} />}
      {finder.q && finder.results.isSuccess && items.length === 0 && (
        <p className="empty">{t('adminFind.noResults')}</p>
      )}
      {items.length > 0 && (
        <ul className="find-results" aria-label={t('adminFind.listings')}>
          {items.map((l) => (
            <li key={l.id}>
              <div>
                <Link to={`/listings/${l.id}`}>
                  <strong>{matchTitle(l.game, locale)}</strong>
                </Link>{' '}
                <span className="muted small">{formatGameTime(l.game.startsAt, locale)}</span>
                <br />
                <span className="small">
                  {l.section}
                  {l.rowLabel ? ` / ${l.rowLabel}` : ''} · {formatMoney(l.price)} × {l.quantity} ·{' '}
                  {t(`listingStatus.${l.status}`)}
                </span>
                <br />
                <span className="muted small">
                  {t('adminFind.seller')}: {l.seller.name} · {l.seller.email} · {l.id}
                </span>
              </div>
              {(l.status === 'active' || l.status === 'held' || l.status === 'expired') && (
                <button
                  type="button"
                  className="button small"
                  disabled={takedown.isPending}
                  aria-label={`${t('admin.takedown')} ${l.id}`}
                  onClick={() => {
                    if (window.confirm(t('admin.confirmTakedown'))) takedown.mutate(l.id);
                  }}
                >
                  {t('admin.takedown')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <MoreButton results={finder.results} />
    </div>
  );
}

function UserFinder() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const finder = useFinder<AdminUser>('users');
  const suspend = useMutation({
    mutationFn: ({ id, suspended }: { id: string; suspended: boolean }) =>
      api(`/api/admin/users/${encodeURIComponent(id)}/suspend`, {
        method: 'POST',
        body: { suspended },
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ADMIN_SEARCH_KEY }),
  });
  const items = finder.results.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="admin-find">
      <FinderForm
        id="find-users"
        label={t('adminFind.users')}
        hint={t('adminFind.usersHint')}
        finder={finder}
      />
      {suspend.isError && <ErrorNotice error={suspend.error} />}
      {finder.results.isError && <ErrorNotice error={finder.results.error} />}
      {finder.q && finder.results.isSuccess && items.length === 0 && (
        <p className="empty">{t('adminFind.noResults')}</p>
      )}
      {items.length > 0 && (
        <ul className="find-results" aria-label={t('adminFind.users')}>
          {items.map((u) => (
            <li key={u.id}>
              <div>
                <Link to={`/users/${u.id}`}>
                  <strong>{u.name}</strong>
                </Link>{' '}
                <span className="small">{u.email}</span>
                <br />
                <span className="muted small">
                  {t(`adminFind.userStatus_${u.status}`)} ·{' '}
                  {t('adminFind.sales', { count: u.completedSales })} · {u.id}
                </span>
              </div>
              {u.status === 'active' && (
                <button
                  type="button"
                  className="button small"
                  disabled={suspend.isPending}
                  aria-label={`${t('admin.suspend')} ${u.name}`}
                  onClick={() => {
                    if (window.confirm(t('admin.confirmSuspend')))
                      suspend.mutate({ id: u.id, suspended: true });
                  }}
                >
                  {t('admin.suspend')}
                </button>
              )}
              {u.status === 'suspended' && (
                <button
                  type="button"
                  className="button ghost small"
                  disabled={suspend.isPending}
                  aria-label={`${t('adminFind.reinstate')} ${u.name}`}
                  onClick={() => suspend.mutate({ id: u.id, suspended: false })}
                >
                  {t('adminFind.reinstate')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <MoreButton results={finder.results} />
    </div>
  );
}

function MoreButton({
  results,
}: {
  results: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  const { t } = useTranslation();
  if (!results.hasNextPage) return null;
  return (
    <p className="center">
      <button
        type="button"
        className="button ghost"
        disabled={results.isFetchingNextPage}
        onClick={() => void results.fetchNextPage()}
      >
        {t('common.more')}
      </button>
    </p>
  );
}

function ModerationAdmin() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="admin-moderation">
      <h2 id="admin-moderation">{t('admin.moderation')}</h2>
      <ListingFinder />
      <UserFinder />
    </section>
  );
}

/** The schedule sync: its status, a run now, and the history of game changes with their source. */
function ScheduleAdmin() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const status = useQuery(syncStatusQuery);
  const changes = useQuery(gameChangesQuery);
  const run = useMutation({
    mutationFn: () => api('/api/admin/schedule/sync', { method: 'POST' }),
    onSettled: () => void qc.invalidateQueries({ queryKey: SCHEDULE_KEY }),
  });
  const s = status.data;
  return (
    <section aria-labelledby="admin-schedule">
      <h2 id="admin-schedule">{t('admin.schedule')}</h2>
      {status.isError && <ErrorNotice error={status.error} />}
      {s ? (
        <dl className="sync-status">
          <dt>{t('admin.schedule')}</dt>
          <dd>{s.enabled ? t('admin.syncOn') : t('admin.syncOff')}</dd>
          <dt>{t('admin.lastRun')}</dt>
          <dd>
            {s.lastRun
              ? `${formatDateTime(s.lastRun.startedAt, locale)} · ${
                  s.lastRun.ok ? t('admin.syncOk') : t('admin.syncFailed')
                }${s.lastRun.error ? ` · ${s.lastRun.error}` : ''}`
              : '—'}
          </dd>
          <dt>{t('admin.lastSuccess')}</dt>
          <dd>{s.lastSuccessAt ? formatDateTime(s.lastSuccessAt, locale) : '—'}</dd>
          <dt>{t('admin.failures')}</dt>
          <dd>{s.consecutiveFailures}</dd>
        </dl>
      ) : (
        !status.isError && <SkeletonLines lines={3} />
      )}
      <p>
        <button
          type="button"
          className="button small"
          disabled={run.isPending}
          onClick={() => run.mutate()}
        >
          {t('admin.syncNow')}
        </button>
        {run.isError && <ErrorNotice error={run.error} />}
      </p>
      <h3 id="admin-changes">{t('admin.changes')}</h3>
      {changes.isError && <ErrorNotice error={changes.error} />}
      {changes.data && changes.data.items.length === 0 && (
        <p className="empty">{t('admin.noChanges')}</p>
      )}
      {changes.data && changes.data.items.length > 0 && (
        <TableScroll labelledBy="admin-changes">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.created')}</th>
                <th scope="col">{t('admin.change')}</th>
                <th scope="col">{t('admin.source')}</th>
                <th scope="col">{t('admin.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {changes.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{formatDateTime(c.createdAt, locale)}</td>
                  <td>
                    <Link to={`/games/${c.gameId}`}>{t(`gameChange.${c.kind}`)}</Link>
                    {c.to ? ` → ${c.to}` : ''}
                  </td>
                  <td>{t(`admin.source_${c.source}`)}</td>
                  <td>{c.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

const TABS = ['games', 'schedule', 'disputes', 'health', 'payouts', 'moderation'] as const;

export default function AdminPage() {
  const { t } = useTranslation();
  useTitle(t('admin.title'));
  const [tab, setTab] = useState<(typeof TABS)[number]>('games');
  return (
    <div className="page admin-page">
      <h1>{t('admin.title')}</h1>
      <div className="segmented" role="group" aria-label={t('admin.title')}>
        {TABS.map((name) => (
          <button key={name} type="button" aria-pressed={tab === name} onClick={() => setTab(name)}>
            {t(`admin.${name}`)}
          </button>
        ))}
      </div>
      {tab === 'games' && <GamesAdmin />}
      {tab === 'schedule' && <ScheduleAdmin />}
      {tab === 'disputes' && <DisputesAdmin />}
      {tab === 'health' && <HandoverHealthAdmin />}
      {tab === 'payouts' && <PayoutsAdmin />}
      {tab === 'moderation' && <ModerationAdmin />}
    </div>
  );
}

// 收入 (issue 21 item 14): a seller's sold tickets, what the platform holds, what is on its way to
// the bank and what has been paid, with each sale's dates and its payout.
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { SellerEarnings, SellerSale } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { SkeletonLines } from '../../components/skeleton.tsx';
import { formatDateTime, formatMoney, type UiLocale } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { matchTitle } from '../../lib/names.ts';
import { MeNav } from './me-nav.tsx';

export const earningsQuery = infiniteQueryOptions({
  queryKey: ['me', 'earnings'],
  queryFn: ({ pageParam }) =>
    api<SellerEarnings>('/api/me/earnings', { query: { cursor: pageParam ?? undefined } }),
  initialPageParam: null as string | null,
  getNextPageParam: (last) => last.nextCursor,
});

/** Where a sale's money is, in words, with its date: held, payout created, paid (or failed). */
export function payoutLine(sale: SellerSale, t: TFunction, locale: UiLocale): string {
  const p = sale.payout;
  if (!p) return t('earnings.payoutNone');
  if (p.status === 'paid' && p.paidAt)
    return t('earnings.payoutPaidAt', { date: formatDateTime(p.paidAt, locale) });
  return `${t(`admin.payout_${p.status}`)} · ${t('earnings.payoutCreated', {
    date: formatDateTime(p.createdAt, locale),
  })}`;
}

export default function EarningsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  useTitle(t('earnings.title'));
  const earnings = useInfiniteQuery(earningsQuery);
  const totals = earnings.data?.pages[0]?.totals;
  const sales = earnings.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="page me-page">
      <h1>{t('earnings.title')}</h1>
      <MeNav />
      <p className="muted">{t('earnings.intro')}</p>
      {earnings.isError && <ErrorNotice error={earnings.error} />}
      {earnings.isPending && <SkeletonLines />}
      {totals && (
        <dl className="stat-tiles earnings-totals">
          <div>
            <dt>{t('earnings.sold')}</dt>
            <dd>{formatMoney(totals.sold)}</dd>
            <dd className="muted small">{t('earnings.soldCount', { count: totals.soldCount })}</dd>
          </div>
          <div>
            <dt>{t('earnings.inEscrow')}</dt>
            <dd>{formatMoney(totals.inEscrow)}</dd>
            <dd className="muted small">{t('earnings.inEscrowHint')}</dd>
          </div>
          <div>
            <dt>{t('earnings.pendingPayout')}</dt>
            <dd>{formatMoney(totals.pendingPayout)}</dd>
            <dd className="muted small">{t('earnings.pendingPayoutHint')}</dd>
          </div>
          <div>
            <dt>{t('earnings.paid')}</dt>
            <dd>{formatMoney(totals.paid)}</dd>
            <dd className="muted small">{t('earnings.paidHint')}</dd>
          </div>
        </dl>
      )}
      <p>
        <Link to="/me/profile#payouts">{t('earnings.setAccount')}</Link>
      </p>
      <h2>{t('earnings.sales')}</h2>
      {earnings.isSuccess && sales.length === 0 && <p className="empty">{t('earnings.none')}</p>}
      {sales.length > 0 && (
        <ul className="order-list plain">
          {sales.map((s) => (
            <li key={s.orderId} className="card">
              <p>
                <Link to={`/me/orders/${s.orderId}`}>
                  <strong>{matchTitle(s.game, locale)}</strong>
                </Link>{' '}
                · {formatMoney(s.amount)} · {t(`orderStatus.${s.status}`)}
              </p>
              <p className="small muted">
                {t('earnings.soldAt', { date: formatDateTime(s.soldAt, locale) })}
                {s.completedAt &&
                  ` · ${t('earnings.completedAt', { date: formatDateTime(s.completedAt, locale) })}`}
              </p>
              <p className="small">
                {payoutLine(s, t, locale)}
                {s.payout &&
                  ` · ${t('earnings.net', {
                    amount: formatMoney(s.payout.amount),
                    fee: formatMoney(s.payout.fee),
                  })}`}
              </p>
            </li>
          ))}
        </ul>
      )}
      {earnings.hasNextPage && (
        <p className="center">
          <button
            type="button"
            className="button ghost"
            disabled={earnings.isFetchingNextPage}
            onClick={() => void earnings.fetchNextPage()}
          >
            {t('common.more')}
          </button>
        </p>
      )}
    </div>
  );
}

// An admin's view of one dispute (issue 18 item 6): what the buyer says and shows, the order's
// timeline, both parties' records; and hand-over health over recent orders (item 8).
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConversationPanel } from '../conversations/conversation-panel.tsx';
import { ProofPanel } from '../handover/proof-panel.tsx';
import { api } from '../../api/client.ts';
import type { AdminDispute, HandoverHealth, PartyRecord } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { SkeletonLines } from '../../components/skeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { formatDuration } from '../users/scorecard.tsx';

export const disputeQuery = (orderId: string) =>
  queryOptions({
    queryKey: ['admin', 'dispute', orderId],
    queryFn: () => api<AdminDispute>(`/api/admin/disputes/${encodeURIComponent(orderId)}`),
  });

export const handoverHealthQuery = (days: number) =>
  queryOptions({
    queryKey: ['admin', 'handover-health', days],
    queryFn: () => api<HandoverHealth>('/api/admin/handover-health', { query: { days } }),
  });

function PartyCard({ role, party }: { role: 'buyer' | 'seller'; party: PartyRecord }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const rows: [string, string | number][] = [
    [t('admin.party.since'), formatDateTime(party.memberSince, locale).slice(0, 10)],
    [t('admin.party.bought'), party.ordersBought],
    [t('admin.party.opened'), party.disputesOpened],
    [t('admin.party.sold'), party.ordersSold],
    [t('admin.party.against'), party.disputesAgainst],
    [t('admin.party.lost'), party.disputesLost],
    [t('admin.party.strikes'), party.strikes],
  ];
  return (
    <div className="card party-card">
      <h4>
        {role === 'buyer' ? t('orders.buyer') : t('orders.seller')}: {party.name}
      </h4>
      <dl className="scorecard-grid">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {party.sellingPausedUntil && (
        <p className="small notice">
          {t('admin.party.paused', { date: formatDateTime(party.sellingPausedUntil, locale) })}
        </p>
      )}
    </div>
  );
}

/** Everything needed to judge one dispute (opened from the disputes list). */
export function DisputeDetail({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const view = useQuery(disputeQuery(orderId));
  if (view.isPending) return <SkeletonLines />;
  if (view.isError) return <ErrorNotice error={view.error} />;
  const d = view.data;
  return (
    <div className="dispute-detail">
      <h3>{t('admin.disputeDetail')}</h3>
      <p>
        <strong>{d.reasonCode ? t(`dispute.reason.${d.reasonCode}`) : t('dispute.title')}</strong>
        {d.openedAt && <span className="muted small"> · {formatDateTime(d.openedAt, locale)}</span>}
      </p>
      {d.reason && <p className="user-text">{d.reason}</p>}
      <h4>{t('admin.evidence')}</h4>
      {d.photos.length === 0 ? (
        <p className="muted small">{t('admin.noEvidence')}</p>
      ) : (
        <ul className="evidence-photos plain">
          {d.photos.map((p, i) => (
            <li key={p.id}>
              <a href={p.url} target="_blank" rel="noreferrer">
                <img src={p.thumbUrl} alt={t('dispute.photoAlt', { n: i + 1 })} width={120} />
              </a>
            </li>
          ))}
        </ul>
      )}
      {/* The seller's proof of sending (issue 18 item 4) and the parties' conversation (item 5). */}
      <section className="dispute-slot" data-slot="proof-of-delivery">
        {d.order.proof ? (
          <ProofPanel order={d.order} />
        ) : (
          <>
            <h4>{t('admin.proofOfDelivery')}</h4>
            <p className="muted small">{t('admin.noProof')}</p>
          </>
        )}
        {d.order.deliveryNote && <p className="user-text small">{d.order.deliveryNote}</p>}
      </section>
      <section className="dispute-slot" data-slot="conversation">
        {/* Admins read only: every message shows as the buyer's or the seller's, no composer. */}
        <ConversationPanel orderId={d.order.id} role="buyer" />
      </section>
      <h4>{t('admin.timeline')}</h4>
      <ol className="timeline">
        {d.order.timeline.map((e, i) => (
          <li key={i}>
            <strong>{t(`orderStatus.${e.to}`)}</strong>
            <time dateTime={e.at}>
              {formatDateTime(e.at, locale)} · {t(`actor.${e.actor}`)}
            </time>
            {e.note && <span className="user-text">{e.note}</span>}
          </li>
        ))}
      </ol>
      <div className="party-cards">
        <PartyCard role="buyer" party={d.buyer} />
        <PartyCard role="seller" party={d.seller} />
      </div>
    </div>
  );
}

/** The health figures as text ("—" where there is nothing to measure). */
export function healthLines(h: HandoverHealth, t: TFunction) {
  return [
    {
      key: 'onTime',
      label: t('admin.handoverHealth.onTime'),
      value:
        h.onTimeShare === null
          ? '—'
          : t('admin.handoverHealth.onTimeValue', {
              percent: Math.round(h.onTimeShare * 100),
              onTime: h.handoversOnTime,
              due: h.handoversDue,
            }),
    },
    {
      key: 'median',
      label: t('admin.handoverHealth.median'),
      value: h.medianMinutesToSend === null ? '—' : formatDuration(h.medianMinutesToSend, t),
    },
  ];
}

const WINDOWS = [7, 30, 90] as const;

export function HandoverHealthAdmin() {
  const { t } = useTranslation();
  const [days, setDays] = useState<(typeof WINDOWS)[number]>(30);
  const health = useQuery(handoverHealthQuery(days));
  return (
    <section aria-labelledby="admin-health">
      <h2 id="admin-health">{t('admin.handoverHealth.title')}</h2>
      <div className="segmented" role="group" aria-label={t('admin.handoverHealth.window')}>
        {WINDOWS.map((n) => (
          <button key={n} type="button" aria-pressed={days === n} onClick={() => setDays(n)}>
            {t('admin.handoverHealth.days', { count: n })}
          </button>
        ))}
      </div>
      {health.isError && <ErrorNotice error={health.error} />}
      {health.isPending ? (
        <SkeletonLines />
      ) : health.data ? (
        <>
          <dl className="scorecard-grid">
            {healthLines(health.data, t).map((l) => (
              <div key={l.key}>
                <dt>{l.label}</dt>
                <dd>{l.value}</dd>
              </div>
            ))}
          </dl>
          <h3>{t('admin.handoverHealth.openDisputes')}</h3>
          <dl className="scorecard-grid">
            {health.data.openDisputes.map((b) => (
              <div key={b.bucket}>
                <dt>{t(`admin.handoverHealth.age.${b.bucket}`)}</dt>
                <dd>{b.count}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </section>
  );
}

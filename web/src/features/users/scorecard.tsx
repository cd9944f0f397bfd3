// A seller's record over the last 90 days (issue 18 item 7): hand-overs on time, paid sales the
// seller cancelled, disputes lost, and the median time from payment to "sent". Shown on the
// seller's profile, on each listing and on the buyer's order.
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { SellerScorecard } from '../../api/types.ts';

export const scorecardQuery = (sellerId: string) =>
  queryOptions({
    queryKey: ['user', sellerId, 'scorecard'],
    queryFn: () => api<SellerScorecard>(`/api/users/${encodeURIComponent(sellerId)}/scorecard`),
    staleTime: 5 * 60_000,
  });

/** "2 h 5 min", "45 min", "1 d 3 h" (localised units). */
export function formatDuration(minutes: number, t: TFunction): string {
  if (minutes < 60) return t('scorecard.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 24)
    return rest
      ? `${t('scorecard.hours', { count: hours })} ${t('scorecard.minutes', { count: rest })}`
      : t('scorecard.hours', { count: hours });
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h
    ? `${t('scorecard.days', { count: days })} ${t('scorecard.hours', { count: h })}`
    : t('scorecard.days', { count: days });
}

/** The four lines of a scorecard as text (nothing due yet: said so, not "0 %"). */
export function scorecardLines(s: SellerScorecard, t: TFunction) {
  return [
    {
      key: 'onTime',
      label: t('scorecard.onTime'),
      value:
        s.handoversDue === 0
          ? t('scorecard.none')
          : t('scorecard.onTimeValue', {
              onTime: s.handoversOnTime,
              due: s.handoversDue,
              percent: Math.round((s.handoversOnTime / s.handoversDue) * 100),
            }),
    },
    {
      key: 'cancelled',
      label: t('scorecard.cancelled'),
      value: String(s.cancelledAfterPayment),
    },
    { key: 'disputesLost', label: t('scorecard.disputesLost'), value: String(s.disputesLost) },
    {
      key: 'median',
      label: t('scorecard.median'),
      value:
        s.medianMinutesToSend === null
          ? t('scorecard.none')
          : formatDuration(s.medianMinutesToSend, t),
    },
  ];
}

export function SellerScorecardPanel({
  sellerId,
  headingLevel = 2,
}: {
  sellerId: string;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const id = useId();
  const card = useQuery(scorecardQuery(sellerId));
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  // The record is a help, not a blocker: nothing is shown while loading or when it fails.
  if (!card.data) return null;
  return (
    <section className="scorecard" aria-labelledby={id}>
      <Heading id={id}>{t('scorecard.title', { days: card.data.windowDays })}</Heading>
      <dl className="scorecard-grid">
        {scorecardLines(card.data, t).map((line) => (
          <div key={line.key}>
            <dt>{line.label}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

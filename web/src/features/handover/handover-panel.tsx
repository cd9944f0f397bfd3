// The handover on the listing and order pages: the method, the club's guide (or the neutral
// default, said to be unverified), and on an order the deadline everyone sees.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DeliveryMethod } from '../../api/types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLocale, useNow } from '../../lib/hooks.ts';
import { timeLeft, URGENT_MS } from './deliver-by.ts';
import { handoverGuideQuery } from './handover-api.ts';

export function HandoverGuide({
  teamId,
  method,
  headingLevel = 2,
  forSeller = false,
}: {
  teamId: string;
  method: DeliveryMethod;
  headingLevel?: 2 | 3;
  /** The seller reads the steps; what the buyer must give is said to buyers only. */
  forSeller?: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const guide = useQuery(handoverGuideQuery(teamId, method));
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  if (!guide.data) return null;
  const g = guide.data;
  const steps = locale === 'en' ? g.stepsEn : g.steps;
  return (
    <section className="handover-guide" aria-labelledby={`guide-${teamId}-${method}`}>
      <Heading id={`guide-${teamId}-${method}`} className="h-small">
        {t('handover.guideTitle')}: {locale === 'en' ? g.titleEn : g.title}
      </Heading>
      {g.recipient && !forSeller && <p className="small">{t(`handover.needs.${g.recipient}`)}</p>}
      <ol className="small">
        {steps.map((s, i) => (
          <li key={i}>{s}</li>
        ))}
      </ol>
      {!g.verified && <p className="muted small">{t('handover.unverified')}</p>}
    </section>
  );
}

/** The delivery deadline with a live countdown (both parties see it while the order is paid). */
export function DeliverBy({ deliverBy, status }: { deliverBy: string | null; status: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow(30_000);
  if (!deliverBy || status !== 'paid') return null;
  const left = timeLeft(deliverBy, now);
  const urgent = !left.overdue && Date.parse(deliverBy) - now < URGENT_MS;
  return (
    <p
      className={`deliver-by small ${urgent || left.overdue ? 'urgent' : ''}`}
      role="timer"
      aria-live="off"
    >
      <strong>{t('handover.deliverBy')}</strong>{' '}
      <time dateTime={deliverBy}>{formatDateTime(deliverBy, locale)}</time>
      {' · '}
      {left.overdue
        ? t('handover.overdue')
        : left.days > 0
          ? t('handover.leftDays', { days: left.days, hours: left.hours })
          : t('handover.leftHours', { hours: left.hours, minutes: left.minutes })}
    </p>
  );
}

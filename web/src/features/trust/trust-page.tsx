// The trust pages (issue 21 item 14), one lazy chunk for both paths: 買家保障 (/guarantee: escrow,
// the face-value law, refunds and disputes in plain words; linked from checkout, every listing and
// the footer) and 說明與聯絡 (/help: common questions and how to reach the team).
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useTitle } from '../../lib/hooks.ts';

export function GuaranteePage() {
  const { t } = useTranslation();
  useTitle(t('trust.guaranteeTitle'));
  return (
    <div className="page trust-page">
      <h1>{t('trust.guaranteeTitle')}</h1>
      <p className="lead">{t('trust.guaranteeIntro')}</p>
      <section className="card" aria-labelledby="g-escrow">
        <h2 id="g-escrow">{t('trust.escrowTitle')}</h2>
        <p>{t('trust.escrowBody')}</p>
      </section>
      <section className="card" aria-labelledby="g-law">
        <h2 id="g-law">{t('trust.lawTitle')}</h2>
        <p>{t('trust.lawBody')}</p>
      </section>
      <section className="card" aria-labelledby="g-refunds">
        <h2 id="g-refunds">{t('trust.refundsTitle')}</h2>
        <ul>
          <li>{t('trust.refundDeadline')}</li>
          <li>{t('trust.refundCancelled')}</li>
          <li>{t('trust.refundPostponed')}</li>
          <li>{t('trust.refundSeller')}</li>
        </ul>
        <p>{t('trust.refundHow')}</p>
      </section>
      <section className="card" aria-labelledby="g-disputes">
        <h2 id="g-disputes">{t('trust.disputesTitle')}</h2>
        <p>{t('trust.disputesBody')}</p>
      </section>
      <p>
        <Link to="/help">{t('trust.moreHelp')}</Link>
      </p>
    </div>
  );
}

/** Where the team reads mail (the demo's domain; set the real one with the deployment). */
export const SUPPORT_EMAIL = 'support@pitch-a-seat.local';

const FAQ = ['Buy', 'Sell', 'Handover', 'Fee', 'Paid'] as const;

export function HelpPage() {
  const { t } = useTranslation();
  useTitle(t('trust.helpTitle'));
  return (
    <div className="page trust-page">
      <h1>{t('trust.helpTitle')}</h1>
      <p className="lead">{t('trust.helpIntro')}</p>
      <section className="card" aria-labelledby="h-faq">
        <h2 id="h-faq">{t('trust.faqTitle')}</h2>
        {FAQ.map((k) => (
          <details key={k}>
            <summary>{t(`trust.faq${k}Q`)}</summary>
            <p>{t(`trust.faq${k}A`)}</p>
          </details>
        ))}
        <p>
          <Link to="/guarantee">{t('trust.guaranteeLink')}</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="h-contact">
        <h2 id="h-contact">{t('trust.contactTitle')}</h2>
        <ul>
          <li>
            {t('trust.contactOrder')} <Link to="/me/orders">{t('nav.orders')}</Link>
          </li>
          <li>
            {t('trust.contactAccount')} <Link to="/me/security">{t('nav.security')}</Link>
          </li>
          <li>
            {t('trust.contactOther')} <a href={`mailto:${SUPPORT_EMAIL}`}>{SUPPORT_EMAIL}</a>
          </li>
        </ul>
      </section>
    </div>
  );
}

export default function TrustPage() {
  const { pathname } = useLocation();
  return pathname.startsWith('/help') ? <HelpPage /> : <GuaranteePage />;
}

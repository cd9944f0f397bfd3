import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ListingSummary } from '../api/types.ts';
import { formatMoney, percentOfFace } from '../lib/format.ts';
import { useLocale } from '../lib/hooks.ts';
import { localName } from '../lib/names.ts';
import { TicketIcon } from './icons.tsx';
import { Stars } from './stars.tsx';

export function seatText(
  l: { section: string; row: string | null; seats: string | null },
  t: TFunction,
) {
  const parts = [t('listing.section', { section: l.section })];
  if (l.row) parts.push(t('listing.row', { row: l.row }));
  if (l.seats) parts.push(t('listing.seats', { seats: l.seats }));
  return parts.join(' · ');
}

/** One ticket offer in a game's list. */
export function ListingRow({ listing }: { listing: ListingSummary }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const pct = percentOfFace(listing.price, listing.faceValue);
  return (
    <li>
      <Link to={`/listings/${listing.id}`} className="card listing-row">
        {listing.thumbUrl ? (
          <img
            className="thumb"
            src={listing.thumbUrl}
            alt=""
            width={96}
            height={72}
            loading="lazy"
            decoding="async"
          />
        ) : (
          <span className="thumb thumb-empty" aria-hidden="true">
            <TicketIcon />
          </span>
        )}
        <span className="listing-main">
          <strong className="area-name">{localName(listing.area, locale)}</strong>
          <span className="muted">{seatText(listing, t)}</span>
          <span className="listing-seller">
            {listing.seller.name}{' '}
            <Stars average={listing.seller.ratingAverage} count={listing.seller.ratingCount} />
          </span>
        </span>
        <span className="listing-price">
          <strong className="price">{formatMoney(listing.price)}</strong>
          <span className="muted small">{t('listing.perTicket')}</span>
          <span className="qty">{t('listing.qty', { count: listing.quantity })}</span>
          {pct !== null && <span className="face-pct">{t('listing.facePct', { pct })}</span>}
        </span>
      </Link>
    </li>
  );
}

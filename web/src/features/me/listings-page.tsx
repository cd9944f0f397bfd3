// 我的票券: my listings with their status; edit the price (cap still applies), seats and note, or
// cancel, while active.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LISTING_STATUSES } from '../../../../shared/contracts/vocabulary.ts';
import { api } from '../../api/client.ts';
import type { Listing, ListingStatus } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { seatText } from '../../components/listing-row.tsx';
import { CardSkeleton } from '../../components/skeleton.tsx';
import { formatGameTime, formatMoney } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName, matchTitle } from '../../lib/names.ts';
import { listingQuery, MY_LISTINGS_KEY, myListingsQuery } from '../listings/listings-api.ts';
import { BulkActions } from './bulk-actions.tsx';
import { ListingEditForm, type ListingPatch } from './listing-edit.tsx';
import { MeNav } from './me-nav.tsx';

function MyListing({
  listing,
  chosen,
  onChoose,
}: {
  listing: Listing;
  chosen: boolean;
  onChoose: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: MY_LISTINGS_KEY });
    void qc.invalidateQueries({ queryKey: listingQuery(listing.id).queryKey });
  };
  const update = useMutation({
    mutationFn: (patch: ListingPatch) =>
      api<Listing>(`/api/listings/${listing.id}`, { method: 'PATCH', body: patch }),
    onSuccess: () => {
      setEditing(false);
      refresh();
    },
  });
  const cancel = useMutation({
    mutationFn: () => api<void>(`/api/listings/${listing.id}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return (
    <li className="card my-listing">
      <div className="order-head">
        <div>
          {listing.status === 'active' && (
            <input
              type="checkbox"
              className="bulk-choose"
              checked={chosen}
              onChange={(e) => onChoose(e.target.checked)}
              aria-label={t('bulk.choose', {
                game: matchTitle(listing.game, locale),
                date: formatGameTime(listing.game.startsAt, locale),
              })}
            />
          )}{' '}
          <Link to={`/listings/${listing.id}`}>
            <strong>{matchTitle(listing.game, locale)}</strong>
          </Link>
          <span className="muted"> · {formatGameTime(listing.game.startsAt, locale)}</span>
          <br />
          <span className="muted">
            {localName(listing.area, locale)} · {seatText(listing, t)} ·{' '}
            {t('listing.qty', { count: listing.quantity })}
          </span>
          {listing.note && (
            <>
              <br />
              <span className="muted my-listing-note">{listing.note}</span>
            </>
          )}
        </div>
        <div className="order-status">
          <span className={`badge listing-${listing.status}`}>
            {t(`listingStatusShort.${listing.status}`)}
          </span>
          <strong className="price">{formatMoney(listing.price)}</strong>
        </div>
      </div>
      {listing.status === 'active' &&
        (editing ? (
          <ListingEditForm
            listing={listing}
            pending={update.isPending}
            onSave={(patch) => update.mutate(patch)}
            onCancel={() => {
              update.reset();
              setEditing(false);
            }}
          />
        ) : (
          <div className="actions-row">
            <button type="button" className="button small" onClick={() => setEditing(true)}>
              {t('myListings.edit')}
            </button>
            <button
              type="button"
              className="button ghost small"
              disabled={cancel.isPending}
              onClick={() => {
                if (window.confirm(t('myListings.confirmCancel'))) cancel.mutate();
              }}
            >
              {t('myListings.cancel')}
            </button>
          </div>
        ))}
      {update.isError && <ErrorNotice error={update.error} />}
      {cancel.isError && <ErrorNotice error={cancel.error} />}
    </li>
  );
}

export default function MyListingsPage() {
  const { t } = useTranslation();
  useTitle(t('nav.myListings'));
  const [status, setStatus] = useState<ListingStatus | ''>('');
  const listings = useQuery(myListingsQuery(status));
  const items = listings.data?.items ?? [];
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const chosenIds = items.filter((l) => chosen.has(l.id)).map((l) => l.id);
  return (
    <div className="page me-page">
      <h1>{t('nav.myListings')}</h1>
      <MeNav />
      <div className="filters">
        <label>
          <span>{t('myListings.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as ListingStatus | '')}>
            <option value="">{t('myListings.all')}</option>
            {LISTING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`listingStatusShort.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <Link to="/sell" className="button accent small">
          {t('nav.sell')}
        </Link>
        <Link to="/sell/season" className="button ghost small">
          {t('season.link')}
        </Link>
      </div>
      {listings.isError && <ErrorNotice error={listings.error} />}
      {listings.isPending ? (
        <CardSkeleton count={2} />
      ) : items.length === 0 ? (
        <div className="empty">
          <p>{t('myListings.empty')}</p>
        </div>
      ) : (
        <>
          {items.some((l) => l.status === 'active') && (
            <BulkActions ids={chosenIds} onDone={() => setChosen(new Set())} />
          )}
          <ul className="order-list plain">
            {items.map((l) => (
              <MyListing
                key={l.id}
                listing={l}
                chosen={chosen.has(l.id)}
                onChoose={(on) =>
                  setChosen((prev) => {
                    const next = new Set(prev);
                    if (on) next.add(l.id);
                    else next.delete(l.id);
                    return next;
                  })
                }
              />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

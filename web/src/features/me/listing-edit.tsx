// Editing an active listing (issue 21 item 9): the price (never above face value), and the seats
// and the note. Only what changed is sent, so a price change still goes through while a buyer
// holds some of the tickets (the server refuses seat and note changes then, 409 with `held`).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_NOTE_LENGTH } from '../../../../shared/contracts/listings.ts';
import type { Listing } from '../../api/types.ts';
import { formatMoney, percentOfFace } from '../../lib/format.ts';

export interface ListingPatch {
  price?: number;
  section?: string;
  row?: string | null;
  seats?: string | null;
  note?: string | null;
}

interface Draft {
  price: string;
  section: string;
  row: string;
  seats: string;
  note: string;
}

/** The fields that differ from the listing, as the PATCH body (blank optional text → null). */
export function listingPatch(listing: Listing, draft: Draft): ListingPatch {
  const patch: ListingPatch = {};
  const price = Number(draft.price);
  if (price !== listing.price) patch.price = price;
  const section = draft.section.trim();
  if (section !== listing.section) patch.section = section;
  const optional = (value: string, was: string | null) => {
    const v = value.trim() || null;
    return v === was ? undefined : v;
  };
  const row = optional(draft.row, listing.row);
  if (row !== undefined) patch.row = row;
  const seats = optional(draft.seats, listing.seats);
  if (seats !== undefined) patch.seats = seats;
  const note = optional(draft.note, listing.note);
  if (note !== undefined) patch.note = note;
  return patch;
}

export function ListingEditForm({
  listing,
  pending,
  onSave,
  onCancel,
}: {
  listing: Listing;
  pending: boolean;
  onSave: (patch: ListingPatch) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>({
    price: String(listing.price),
    section: listing.section,
    row: listing.row ?? '',
    seats: listing.seats ?? '',
    note: listing.note ?? '',
  });
  const set = (field: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  const n = Number(draft.price);
  const badPrice = !Number.isInteger(n) || n <= 0;
  const overCap = Number.isFinite(n) && n > listing.faceValue;
  const noSection = draft.section.trim() === '';
  const pct = percentOfFace(n, listing.faceValue);
  const id = (field: string) => `edit-${listing.id}-${field}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (badPrice || overCap || noSection) return;
    const patch = listingPatch(listing, draft);
    if (Object.keys(patch).length === 0) onCancel();
    else onSave(patch);
  };
  return (
    <form className="inline-form listing-edit" onSubmit={submit}>
      <label className="field">
        <span>{t('sell.price')}</span>
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={listing.faceValue}
          value={draft.price}
          aria-invalid={overCap || badPrice}
          aria-describedby={id('cap')}
          onChange={set('price')}
        />
        <span className={overCap ? 'field-error' : 'hint'} id={id('cap')}>
          {overCap
            ? t('sell.err.aboveFace', { face: formatMoney(listing.faceValue) })
            : pct !== null
              ? t('sell.pctHint', { pct })
              : ''}
        </span>
      </label>
      <label className="field">
        <span>{t('sell.section')}</span>
        <input
          value={draft.section}
          maxLength={32}
          required
          aria-invalid={noSection}
          onChange={set('section')}
        />
      </label>
      <label className="field">
        <span>{t('sell.row')}</span>
        <input value={draft.row} maxLength={16} onChange={set('row')} />
      </label>
      <label className="field">
        <span>{t('sell.seats')}</span>
        <input value={draft.seats} maxLength={64} onChange={set('seats')} />
      </label>
      <label className="field">
        <span>{t('sell.note')}</span>
        <textarea
          value={draft.note}
          maxLength={MAX_NOTE_LENGTH}
          rows={2}
          aria-describedby={id('held')}
          onChange={set('note')}
        />
        <span className="hint" id={id('held')}>
          {t('myListings.heldHint')}
        </span>
      </label>
      <div className="actions-row">
        <button
          type="submit"
          className="button small"
          disabled={pending || overCap || badPrice || noSection}
        >
          {t('common.save')}
        </button>
        <button type="button" className="button ghost small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

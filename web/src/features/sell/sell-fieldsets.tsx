// The sell form's four fieldsets: the seat, the price (capped at face value, with the going
// prices of the area), the delivery and note, the photos.
import { useTranslation } from 'react-i18next';
import { DELIVERY_METHODS, SPLIT_RULES } from '../../../../shared/contracts/vocabulary.ts';
import type { AreaPrice, SeatArea } from '../../api/types.ts';
import { formatMoney, percentOfFace } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { localName } from '../../lib/names.ts';
import { NOTE_MAX, PHOTO_MAX_COUNT, type FieldProblem } from './sell-validation.ts';
import type { ListingDraftForm } from './use-listing-draft.ts';
import type { PhotoPicker } from './use-photos.ts';

function Problem({ id, problem }: { id: string; problem: FieldProblem | undefined }) {
  const { t } = useTranslation();
  if (!problem) return null;
  const params = Object.fromEntries(
    Object.entries(problem.params ?? {}).map(([k, v]) => [
      k,
      typeof v === 'number' && k !== 'max' && k !== 'mb' ? formatMoney(v) : v,
    ]),
  );
  return (
    <span id={id} className="field-error" role="alert">
      {t(problem.key, params)}
    </span>
  );
}

export function SeatFieldset({ form, areas }: { form: ListingDraftForm; areas: SeatArea[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { draft, show, set, touch, describedBy } = form;
  return (
    <fieldset>
      <legend>{t('sell.seat')}</legend>
      <label className="field">
        <span>{t('sell.area')}</span>
        <select
          id="sell-areaId"
          value={draft.areaId}
          onChange={set('areaId')}
          onBlur={touch('areaId')}
          aria-invalid={Boolean(show('areaId'))}
          aria-describedby={describedBy('areaId')}
          required
        >
          <option value="">{t('sell.chooseArea')}</option>
          {areas.map((a) => (
            <option key={a.id} value={a.id}>
              {localName(a, locale)} ({formatMoney(a.faceValueMin)}–{formatMoney(a.faceValueMax)})
            </option>
          ))}
        </select>
        <Problem id="areaId-error" problem={show('areaId')} />
      </label>
      <div className="field-row three">
        <label className="field">
          <span>{t('sell.section')}</span>
          <input
            id="sell-section"
            value={draft.section}
            onChange={set('section')}
            onBlur={touch('section')}
            placeholder={t('sell.sectionPh')}
            aria-invalid={Boolean(show('section'))}
            aria-describedby={describedBy('section')}
            required
          />
          <Problem id="section-error" problem={show('section')} />
        </label>
        <label className="field">
          <span>{t('sell.row')}</span>
          <input
            id="sell-row"
            value={draft.row}
            onChange={set('row')}
            onBlur={touch('row')}
            aria-describedby={describedBy('row')}
          />
          <Problem id="row-error" problem={show('row')} />
        </label>
        <label className="field">
          <span>{t('sell.seats')}</span>
          <input
            id="sell-seats"
            value={draft.seats}
            onChange={set('seats')}
            onBlur={touch('seats')}
            placeholder="12-13"
            aria-describedby={describedBy('seats')}
          />
          <Problem id="seats-error" problem={show('seats')} />
        </label>
      </div>
      <label className="field">
        <span>{t('sell.quantity')}</span>
        <select id="sell-quantity" value={draft.quantity} onChange={set('quantity')}>
          {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
            <option key={n} value={n}>
              {t('listing.qty', { count: n })}
            </option>
          ))}
        </select>
        <span className="hint">{t('sell.quantityHint')}</span>
      </label>
      {Number(draft.quantity) > 1 && (
        <label className="field">
          <span>{t('split.label')}</span>
          <select id="sell-split" value={draft.splitRule} onChange={set('splitRule')}>
            {SPLIT_RULES.map((rule) => (
              <option key={rule} value={rule}>
                {t(`split.${rule}`)}
              </option>
            ))}
          </select>
          <span className="hint">{t('split.hint')}</span>
        </label>
      )}
    </fieldset>
  );
}

export function PricingFieldset({
  form,
  areaPrices,
}: {
  form: ListingDraftForm;
  /** The going prices of the chosen area, when known. */
  areaPrices: AreaPrice | undefined;
}) {
  const { t } = useTranslation();
  const { draft, area, problems, show, set, touch, describedBy } = form;
  const priceNum = Number(draft.price);
  const faceNum = Number(draft.faceValue);
  const pct = draft.price && draft.faceValue ? percentOfFace(priceNum, faceNum) : null;
  return (
    <fieldset>
      <legend>{t('sell.pricing')}</legend>
      <div className="field-row">
        <label className="field">
          <span>{t('sell.faceValue')}</span>
          <input
            id="sell-faceValue"
            type="number"
            inputMode="numeric"
            min={area?.faceValueMin ?? 1}
            max={area?.faceValueMax}
            value={draft.faceValue}
            onChange={set('faceValue')}
            onBlur={touch('faceValue')}
            aria-invalid={Boolean(show('faceValue'))}
            aria-describedby={describedBy('faceValue', 'face-hint')}
            required
          />
          {area && (
            <span className="hint" id="face-hint">
              {t('sell.faceRange', {
                min: formatMoney(area.faceValueMin),
                max: formatMoney(area.faceValueMax),
              })}
            </span>
          )}
          <Problem id="faceValue-error" problem={show('faceValue')} />
        </label>
        <label className="field">
          <span>{t('sell.price')}</span>
          <input
            id="sell-price"
            type="number"
            inputMode="numeric"
            min={1}
            max={faceNum || undefined}
            value={draft.price}
            onChange={(e) => {
              set('price')(e);
              touch('price')();
            }}
            aria-invalid={Boolean(show('price'))}
            aria-describedby={describedBy('price', 'price-hint')}
            required
          />
          <span className="hint" id="price-hint" aria-live="polite">
            {pct !== null && pct <= 100 ? t('sell.pctHint', { pct }) : t('sell.capHint')}
          </span>
          <Problem id="price-error" problem={show('price')} />
        </label>
      </div>
      {draft.areaId && (
        <p className="going-hint" aria-live="polite">
          {areaPrices && (areaPrices.activeCount > 0 || areaPrices.medianSoldPrice !== null)
            ? t('sell.going', {
                count: areaPrices.activeCount,
                min: formatMoney(areaPrices.minPrice),
                median: formatMoney(areaPrices.medianPrice),
                sold: formatMoney(areaPrices.medianSoldPrice),
              })
            : t('sell.goingNone')}
        </p>
      )}
      {draft.price && draft.quantity && !problems.price && (
        <p className="muted">
          {t('sell.youGet', { total: formatMoney(priceNum * Number(draft.quantity)) })}
        </p>
      )}
    </fieldset>
  );
}

export function DeliveryFieldset({ form }: { form: ListingDraftForm }) {
  const { t } = useTranslation();
  const { draft, show, set, touch, describedBy } = form;
  return (
    <fieldset>
      <legend>{t('sell.delivery')}</legend>
      <div className="radio-list">
        {DELIVERY_METHODS.map((m) => (
          <label key={m} className="radio">
            <input
              type="radio"
              name="deliveryMethod"
              value={m}
              checked={draft.deliveryMethod === m}
              onChange={set('deliveryMethod')}
            />
            <span>
              {t(`delivery.${m}`)}
              <span className="hint block">{t(`deliveryHint.${m}`)}</span>
            </span>
          </label>
        ))}
      </div>
      <label className="field">
        <span>{t('sell.note')}</span>
        <textarea
          id="sell-note"
          rows={3}
          value={draft.note}
          onChange={set('note')}
          onBlur={touch('note')}
          maxLength={NOTE_MAX + 50}
          aria-describedby={describedBy('note', 'note-count')}
        />
        <span className="hint" id="note-count">
          {draft.note.length}/{NOTE_MAX}
        </span>
        <Problem id="note-error" problem={show('note')} />
      </label>
    </fieldset>
  );
}

export function PhotosFieldset({ picker }: { picker: PhotoPicker }) {
  const { t } = useTranslation();
  const { photos, problem } = picker;
  return (
    <fieldset>
      <legend>{t('sell.photos')}</legend>
      <p className="hint" id="photos-hint">
        {t('sell.photosHint', { max: PHOTO_MAX_COUNT })}
      </p>
      <label className="button ghost file-button">
        {t('sell.addPhotos')}
        <input
          type="file"
          name="images"
          accept="image/jpeg,image/png,image/webp,image/avif"
          multiple
          className="visually-hidden"
          aria-describedby="photos-hint"
          disabled={photos.length >= PHOTO_MAX_COUNT}
          onChange={(e) => {
            picker.add(e.target.files);
            e.target.value = '';
          }}
        />
      </label>
      {problem && (
        <span className="field-error" role="alert">
          {t(problem.key, problem.params ?? {})}
        </span>
      )}
      {photos.length > 0 && (
        <ul className="photo-previews plain">
          {photos.map((p, i) => (
            <li key={p.url}>
              <img src={p.url} alt={t('sell.photoPreview', { n: i + 1 })} width={120} height={90} />
              <button type="button" className="button ghost small" onClick={() => picker.remove(p)}>
                {t('sell.removePhoto')}
                <span className="visually-hidden"> {i + 1}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

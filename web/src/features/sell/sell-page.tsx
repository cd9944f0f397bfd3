// Sell a ticket: the game, the seat, face value and price (never above face value, live check),
// delivery, note and photos with previews and upload progress; then the new listing's link.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { CreateListingBody } from '../../../../shared/contracts/listings.ts';
import { uploadWithProgress } from '../../api/client.ts';
import { DELIVERY_METHODS } from '../../../../shared/contracts/vocabulary.ts';
import type { Game, Listing } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { PageSkeleton } from '../../components/skeleton.tsx';
import { formatMoney, percentOfFace } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName } from '../../lib/names.ts';
import { GameHeader } from '../games/game-page.tsx';
import { gameListingsKey, gameQuery, priceSummaryQuery } from '../games/games-api.ts';
import { GAMES_KEY } from '../home/home-api.ts';
import { MY_LISTINGS_KEY } from '../listings/listings-api.ts';
import { GamePicker } from './game-picker.tsx';
import {
  checkPhoto,
  NOTE_MAX,
  PHOTO_MAX_COUNT,
  validateDraft,
  type DraftProblems,
  type FieldProblem,
  type ListingDraft,
} from './sell-validation.ts';

interface Photo {
  file: File;
  url: string;
}

const EMPTY: ListingDraft = {
  areaId: '',
  section: '',
  row: '',
  seats: '',
  quantity: '2',
  faceValue: '',
  price: '',
  deliveryMethod: 'eticket_transfer',
  note: '',
};

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

function SellForm({ gameId, onChangeGame }: { gameId: string; onChangeGame: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const game = useQuery(gameQuery(gameId));
  const summary = useQuery(priceSummaryQuery(gameId));
  const [draft, setDraft] = useState<ListingDraft>(EMPTY);
  const [touched, setTouched] = useState<Partial<Record<keyof ListingDraft, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photoProblem, setPhotoProblem] = useState<FieldProblem | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Listing | null>(null);

  // Preview URLs are released when a photo is removed and when the form goes away.
  const photosRef = useRef(photos);
  useEffect(() => {
    photosRef.current = photos;
  }, [photos]);
  useEffect(() => () => photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  const area = game.data?.areas.find((a) => a.id === draft.areaId);
  const problems: DraftProblems = useMemo(() => validateDraft(draft, area), [draft, area]);
  const show = (field: keyof ListingDraft) =>
    submitted || touched[field] ? problems[field] : undefined;
  const areaPrices = summary.data?.items.find((a) => a.areaId === draft.areaId);
  const priceNum = Number(draft.price);
  const faceNum = Number(draft.faceValue);
  const pct = draft.price && draft.faceValue ? percentOfFace(priceNum, faceNum) : null;

  if (game.isPending) return <PageSkeleton />;
  if (game.isError) return <ErrorNotice error={game.error} />;

  if (created) {
    return (
      <div className="state-panel success" role="status">
        <h2>✓ {t('sell.doneTitle')}</h2>
        <p>{t('sell.doneBody')}</p>
        <p className="actions-row">
          <Link to={`/listings/${created.id}`} className="button">
            {t('sell.viewListing')}
          </Link>
          <Link to="/me/listings" className="button ghost">
            {t('nav.myListings')}
          </Link>
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setCreated(null);
              setDraft(EMPTY);
              setTouched({});
              setSubmitted(false);
              setPhotos([]);
              setProgress(null);
            }}
          >
            {t('sell.another')}
          </button>
        </p>
      </div>
    );
  }

  // A game the server will not take listings for (postponed, started…): say so, offer another.
  if (!game.data.canList) {
    return (
      <>
        <GameHeader game={game.data} />
        <p className="notice">{t('game.notOnSale')}</p>
        <p>
          <button type="button" className="button ghost small" onClick={onChangeGame}>
            {t('sell.changeGame')}
          </button>
        </p>
      </>
    );
  }

  const set = (field: keyof ListingDraft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  const blur = (field: keyof ListingDraft) => () => setTouched((t0) => ({ ...t0, [field]: true }));
  const describedBy = (field: keyof ListingDraft, hint?: string) =>
    [show(field) ? `${field}-error` : null, hint].filter(Boolean).join(' ') || undefined;

  const addPhotos = (files: FileList | null) => {
    setPhotoProblem(null);
    if (!files) return;
    const next = [...photos];
    for (const file of Array.from(files)) {
      const problem = checkPhoto(file);
      if (problem) {
        setPhotoProblem(problem);
        continue;
      }
      if (next.length >= PHOTO_MAX_COUNT) {
        setPhotoProblem({ key: 'sell.err.photoCount', params: { max: PHOTO_MAX_COUNT } });
        break;
      }
      next.push({ file, url: URL.createObjectURL(file) });
    }
    setPhotos(next);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    if (Object.keys(problems).length > 0) {
      const first = Object.keys(problems)[0];
      document.getElementById(`sell-${first}`)?.focus();
      return;
    }
    const body = CreateListingBody.safeParse({
      gameId,
      areaId: draft.areaId,
      section: draft.section.trim(),
      row: draft.row.trim() || null,
      seats: draft.seats.trim() || null,
      quantity: Number(draft.quantity),
      price: priceNum,
      faceValue: faceNum,
      deliveryMethod: draft.deliveryMethod,
      note: draft.note.trim() || null,
    });
    if (!body.success) return;
    const form = new FormData();
    for (const [key, value] of Object.entries(body.data)) {
      if (value !== null && value !== undefined) form.append(key, String(value));
    }
    for (const p of photos) form.append('images', p.file, p.file.name);
    setProgress(0);
    try {
      const listing = await uploadWithProgress<Listing>('/api/listings', form, setProgress);
      setCreated(listing);
      void qc.invalidateQueries({ queryKey: gameListingsKey(gameId) });
      void qc.invalidateQueries({ queryKey: GAMES_KEY });
      void qc.invalidateQueries({ queryKey: MY_LISTINGS_KEY });
    } catch (err) {
      setError(err);
      setProgress(null);
    }
  };

  return (
    <>
      <GameHeader game={game.data} />
      <p>
        <button type="button" className="button ghost small" onClick={onChangeGame}>
          {t('sell.changeGame')}
        </button>
      </p>
      <form className="form sell-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t('sell.seat')}</legend>
          <label className="field">
            <span>{t('sell.area')}</span>
            <select
              id="sell-areaId"
              value={draft.areaId}
              onChange={set('areaId')}
              onBlur={blur('areaId')}
              aria-invalid={Boolean(show('areaId'))}
              aria-describedby={describedBy('areaId')}
              required
            >
              <option value="">{t('sell.chooseArea')}</option>
              {game.data.areas.map((a) => (
                <option key={a.id} value={a.id}>
                  {localName(a, locale)} ({formatMoney(a.faceValueMin)}–
                  {formatMoney(a.faceValueMax)})
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
                onBlur={blur('section')}
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
                onBlur={blur('row')}
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
                onBlur={blur('seats')}
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
        </fieldset>

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
                onBlur={blur('faceValue')}
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
                  setTouched((t0) => ({ ...t0, price: true }));
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
              onBlur={blur('note')}
              maxLength={NOTE_MAX + 50}
              aria-describedby={describedBy('note', 'note-count')}
            />
            <span className="hint" id="note-count">
              {draft.note.length}/{NOTE_MAX}
            </span>
            <Problem id="note-error" problem={show('note')} />
          </label>
        </fieldset>

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
                addPhotos(e.target.files);
                e.target.value = '';
              }}
            />
          </label>
          {photoProblem && (
            <span className="field-error" role="alert">
              {t(photoProblem.key, photoProblem.params ?? {})}
            </span>
          )}
          {photos.length > 0 && (
            <ul className="photo-previews plain">
              {photos.map((p, i) => (
                <li key={p.url}>
                  <img
                    src={p.url}
                    alt={t('sell.photoPreview', { n: i + 1 })}
                    width={120}
                    height={90}
                  />
                  <button
                    type="button"
                    className="button ghost small"
                    onClick={() => {
                      URL.revokeObjectURL(p.url);
                      setPhotos(photos.filter((x) => x !== p));
                    }}
                  >
                    {t('sell.removePhoto')}
                    <span className="visually-hidden"> {i + 1}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </fieldset>

        {error !== null && <ErrorNotice error={error} />}
        {progress !== null && (
          <div className="upload-progress">
            <label htmlFor="upload-progress">{t('sell.uploading')}</label>
            <progress id="upload-progress" max={1} value={progress} />
            <span>{Math.round(progress * 100)}%</span>
          </div>
        )}
        {submitted && Object.keys(problems).length > 0 && (
          <p className="notice error" role="alert">
            {t('sell.fixErrors')}
          </p>
        )}
        <button type="submit" className="button accent big" disabled={progress !== null}>
          {t('sell.submit')}
        </button>
      </form>
    </>
  );
}

export default function SellPage() {
  const { t } = useTranslation();
  useTitle(t('sell.title'));
  const [params, setParams] = useSearchParams();
  const gameId = params.get('game');
  const pick = (game: Game | null) =>
    setParams(game ? { game: game.id } : {}, { preventScrollReset: false });
  return (
    <div className="page narrow sell-page">
      <h1>{t('sell.title')}</h1>
      <p className="muted">{t('sell.intro')}</p>
      {gameId ? (
        <SellForm key={gameId} gameId={gameId} onChangeGame={() => pick(null)} />
      ) : (
        <GamePicker onPick={pick} />
      )}
    </div>
  );
}

// Sell a ticket: the game, the seat, face value and price (never above face value, live check),
// delivery, note and photos with previews and upload progress; then the new listing's link.
// Each fieldset is its own component (sell-fieldsets.tsx); the draft, the photos and the upload
// are hooks (use-listing-draft.ts, use-photos.ts, use-create-listing.ts).
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { CreateListingBody } from '../../../../shared/contracts/listings.ts';
import type { Game, SeatArea } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { PageSkeleton } from '../../components/skeleton.tsx';
import { useTitle } from '../../lib/hooks.ts';
import { GameHeader } from '../games/game-page.tsx';
import { gameQuery, priceSummaryQuery } from '../games/games-api.ts';
import { GamePicker } from './game-picker.tsx';
import {
  DeliveryFieldset,
  PhotosFieldset,
  PricingFieldset,
  SeatFieldset,
} from './sell-fieldsets.tsx';
import { draftToBody } from './sell-validation.ts';
import { useCreateListing } from './use-create-listing.ts';
import { useListingDraft } from './use-listing-draft.ts';
import { usePhotos } from './use-photos.ts';

const NO_AREAS: SeatArea[] = [];

function SellForm({ gameId, onChangeGame }: { gameId: string; onChangeGame: () => void }) {
  const { t } = useTranslation();
  const game = useQuery(gameQuery(gameId));
  const summary = useQuery(priceSummaryQuery(gameId));
  const form = useListingDraft(game.data?.areas ?? NO_AREAS);
  const picker = usePhotos();
  const create = useCreateListing();

  if (game.isPending) return <PageSkeleton />;
  if (game.isError) return <ErrorNotice error={game.error} />;

  if (create.isSuccess) {
    return (
      <div className="state-panel success" role="status">
        <h2>✓ {t('sell.doneTitle')}</h2>
        <p>{t('sell.doneBody')}</p>
        <p className="actions-row">
          <Link to={`/listings/${create.data.id}`} className="button">
            {t('sell.viewListing')}
          </Link>
          <Link to="/me/listings" className="button ghost">
            {t('nav.myListings')}
          </Link>
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              create.reset();
              form.reset();
              picker.clear();
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

  const problemFields = Object.keys(form.problems);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.markSubmitted();
    create.reset();
    if (problemFields.length > 0) {
      document.getElementById(`sell-${problemFields[0]}`)?.focus();
      return;
    }
    const body = CreateListingBody.safeParse(draftToBody(gameId, form.draft));
    if (!body.success) return;
    create.mutate({ body: body.data, photos: picker.photos.map((p) => p.file) });
  };

  return (
    <>
      <GameHeader game={game.data} />
      <p>
        <button type="button" className="button ghost small" onClick={onChangeGame}>
          {t('sell.changeGame')}
        </button>
      </p>
      <form className="form sell-form" onSubmit={submit} noValidate>
        <SeatFieldset form={form} areas={game.data.areas} />
        <PricingFieldset
          form={form}
          areaPrices={summary.data?.items.find((a) => a.areaId === form.draft.areaId)}
        />
        <DeliveryFieldset form={form} />
        <PhotosFieldset picker={picker} />

        {create.isError && <ErrorNotice error={create.error} />}
        {create.progress !== null && (
          <div className="upload-progress">
            <label htmlFor="upload-progress">{t('sell.uploading')}</label>
            <progress id="upload-progress" max={1} value={create.progress} />
            <span>{Math.round(create.progress * 100)}%</span>
          </div>
        )}
        {form.submitted && problemFields.length > 0 && (
          <p className="notice error" role="alert">
            {t('sell.fixErrors')}
          </p>
        )}
        <button type="submit" className="button accent big" disabled={create.progress !== null}>
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

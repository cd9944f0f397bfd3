// 有票通知我: a standing request for a game, optionally limited to areas, a price and a quantity.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { CreateReservationBody } from '../../../../shared/contracts/reservations.ts';
import { api, isApiError } from '../../api/client.ts';
import type { Reservation } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { PageSkeleton } from '../../components/skeleton.tsx';
import { formatMoney } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName } from '../../lib/names.ts';
import { GameHeader } from '../games/game-page.tsx';
import { gameQuery } from '../games/games-api.ts';
import { PushOffer } from '../notifications/push-offer.tsx';
import { myReservationsQuery } from './reservations-api.ts';

export default function ReservePage() {
  const { gameId = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  useTitle(t('reserve.title'));
  const game = useQuery(gameQuery(gameId));
  const [areaIds, setAreaIds] = useState<string[]>([]);
  const [maxPrice, setMaxPrice] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [formError, setFormError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: CreateReservationBody) =>
      api<Reservation>('/api/reservations', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: myReservationsQuery.queryKey }),
  });

  if (game.isPending) return <PageSkeleton />;
  if (game.isError)
    return (
      <div className="page">
        <ErrorNotice error={game.error} />
      </div>
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const parsed = CreateReservationBody.safeParse({
      gameId,
      areaIds: areaIds.length ? areaIds : undefined,
      maxPrice: maxPrice ? Number(maxPrice) : undefined,
      quantity: Number(quantity),
    });
    if (!parsed.success) {
      setFormError(t('reserve.invalid'));
      return;
    }
    create.mutate(parsed.data);
  };

  if (create.isSuccess) {
    return (
      <div className="page narrow">
        <GameHeader game={game.data} />
        <div className="notice success" role="status">
          <h2>{t('reserve.doneTitle')}</h2>
          <p>{t('reserve.doneBody')}</p>
        </div>
        <PushOffer />
        <p className="actions-row">
          <Link to={`/games/${gameId}`} className="button">
            {t('reserve.backToGame')}
          </Link>
          <Link to="/me/reservations" className="button ghost">
            {t('nav.reservations')}
          </Link>
        </p>
      </div>
    );
  }

  // A game the server takes no alerts for (postponed, started…): say so instead of the form.
  if (!game.data.canReserve) {
    return (
      <div className="page narrow">
        <GameHeader game={game.data} />
        <p className="notice">{t('game.notOnSale')}</p>
        <p>
          <Link to={`/games/${gameId}`} className="button">
            {t('reserve.backToGame')}
          </Link>
        </p>
      </div>
    );
  }

  const duplicate = isApiError(create.error, 'DUPLICATE_RESERVATION');
  return (
    <div className="page narrow">
      <GameHeader game={game.data} />
      <h2>{t('reserve.title')}</h2>
      <p className="muted">{t('reserve.intro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('reserve.areas')}</legend>
          <p className="hint">{t('reserve.areasHint')}</p>
          <div className="checkbox-grid">
            {game.data.areas.map((a) => (
              <label key={a.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={areaIds.includes(a.id)}
                  onChange={(e) =>
                    setAreaIds(
                      e.target.checked ? [...areaIds, a.id] : areaIds.filter((x) => x !== a.id),
                    )
                  }
                />
                <span>
                  {localName(a, locale)}{' '}
                  <span className="muted small">
                    {formatMoney(a.faceValueMin)}–{formatMoney(a.faceValueMax)}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span>{t('reserve.maxPrice')}</span>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            value={maxPrice}
            placeholder={t('reserve.anyPrice')}
            onChange={(e) => setMaxPrice(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('reserve.quantity')}</span>
          <select value={quantity} onChange={(e) => setQuantity(e.target.value)}>
            {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
              <option key={n} value={n}>
                {t('game.atLeast', { count: n })}
              </option>
            ))}
          </select>
        </label>
        {formError && (
          <p className="notice error" role="alert">
            {formError}
          </p>
        )}
        {create.isError &&
          (duplicate ? (
            <p className="notice" role="alert">
              {t('errors.DUPLICATE_RESERVATION')}{' '}
              <Link to="/me/reservations">{t('nav.reservations')}</Link>
            </p>
          ) : (
            <ErrorNotice error={create.error} />
          ))}
        <button type="submit" className="button accent" disabled={create.isPending}>
          {create.isPending ? t('common.saving') : t('reserve.submit')}
        </button>
      </form>
    </div>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { CardSkeleton } from '../../components/skeleton.tsx';
import { formatGameTime, formatMoney } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName, matchTitle, stadiumName } from '../../lib/names.ts';
import { myReservationsQuery } from '../reserve/reservations-api.ts';
import { MyTeamAlerts } from '../find/team-alerts.tsx';
import { MeNav } from './me-nav.tsx';

export default function MyReservationsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  useTitle(t('nav.reservations'));
  const reservations = useQuery(myReservationsQuery);
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/api/reservations/${id}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: myReservationsQuery.queryKey }),
  });
  const items = reservations.data?.items ?? [];
  return (
    <div className="page me-page">
      <h1>{t('nav.reservations')}</h1>
      <MeNav />
      {reservations.isError && <ErrorNotice error={reservations.error} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      {reservations.isPending ? (
        <CardSkeleton count={2} />
      ) : items.length === 0 ? (
        <div className="empty">
          <p>{t('reservations.empty')}</p>
          <Link to="/" className="button">
            {t('nav.games')}
          </Link>
        </div>
      ) : (
        <ul className="order-list plain">
          {items.map((r) => (
            <li key={r.id} className={`card ${r.status === 'ended' ? 'muted-card' : ''}`}>
              <div className="order-head">
                <div>
                  <Link to={`/games/${r.game.id}`}>
                    <strong>{matchTitle(r.game, locale)}</strong>
                  </Link>
                  <span className="muted">
                    {' '}
                    · {formatGameTime(r.game.startsAt, locale)} ·{' '}
                    {stadiumName(r.game.stadium, locale)}
                  </span>
                  <br />
                  <span className="small">
                    {r.areas.length
                      ? r.areas.map((a) => localName(a, locale)).join('、')
                      : t('reservations.anyArea')}{' '}
                    ·{' '}
                    {r.maxPrice !== null
                      ? t('reservations.upTo', { price: formatMoney(r.maxPrice) })
                      : t('reserve.anyPrice')}{' '}
                    · {t('game.atLeast', { count: r.quantity })}
                  </span>
                </div>
                <div className="order-status">
                  <span className="badge">{t(`reservationStatus.${r.status}`)}</span>
                  <button
                    type="button"
                    className="button ghost small"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(r.id)}
                  >
                    {t('reservations.delete')}
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      <MyTeamAlerts />
    </div>
  );
}

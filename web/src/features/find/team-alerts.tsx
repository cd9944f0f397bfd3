// Team alerts (issue 21 item 12): "tell me about tickets for any 樂天 home game under NT$X". The
// form on a team's page, and the list shown with the game alerts in the member centre.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { api } from '../../api/client.ts';
import type { Team, TeamReservation, TeamReservationList } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { TeamDot } from '../../components/team-dot.tsx';
import { formatMoney } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { localName } from '../../lib/names.ts';
import { useMe } from '../auth/session.ts';

export const myTeamAlertsQuery = queryOptions({
  queryKey: ['my-team-reservations'],
  queryFn: () => api<TeamReservationList>('/api/me/team-reservations'),
});

/** 「樂天桃猿 主場 · 每張 NT$500 以內 · 至少 2 張」 */
export function TeamAlertCriteria({ alert }: { alert: TeamReservation }) {
  const { t } = useTranslation();
  return (
    <span className="small">
      {t(alert.homeOnly ? 'teamAlert.homeGames' : 'teamAlert.allGames')} ·{' '}
      {alert.maxPrice !== null
        ? t('reservations.upTo', { price: formatMoney(alert.maxPrice) })
        : t('reserve.anyPrice')}{' '}
      · {t('game.atLeast', { count: alert.quantity })}
    </span>
  );
}

export function TeamAlertForm({ team }: { team: Team }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const me = useMe();
  const location = useLocation();
  const qc = useQueryClient();
  const alerts = useQuery({ ...myTeamAlertsQuery, enabled: Boolean(me.data) });
  const [homeOnly, setHomeOnly] = useState(true);
  const [maxPrice, setMaxPrice] = useState('');
  const [quantity, setQuantity] = useState(1);
  const create = useMutation({
    mutationFn: () =>
      api<TeamReservation>('/api/team-reservations', {
        method: 'POST',
        body: {
          teamId: team.id,
          homeOnly,
          quantity,
          ...(maxPrice ? { maxPrice: Number(maxPrice) } : {}),
        },
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: myTeamAlertsQuery.queryKey }),
  });
  const mine = (alerts.data?.items ?? []).filter((a) => a.team.id === team.id);
  const name = localName(team, locale);

  if (!me.data)
    return (
      <p>
        <Link className="button ghost" to={`/login?next=${encodeURIComponent(location.pathname)}`}>
          {t('teamAlert.signIn', { team: name })}
        </Link>
      </p>
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="card team-alert" aria-labelledby="team-alert-title">
      <h2 id="team-alert-title">{t('teamAlert.title', { team: name })}</h2>
      {mine.length > 0 && (
        <ul className="plain" aria-label={t('teamAlert.current')}>
          {mine.map((a) => (
            <li key={a.id}>
              ✓ <TeamAlertCriteria alert={a} />
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="team-alert-form">
        <fieldset className="radio-list inline">
          <legend>{t('teamAlert.which')}</legend>
          <label>
            <input type="radio" checked={homeOnly} onChange={() => setHomeOnly(true)} />{' '}
            {t('teamAlert.homeGames')}
          </label>
          <label>
            <input type="radio" checked={!homeOnly} onChange={() => setHomeOnly(false)} />{' '}
            {t('teamAlert.allGames')}
          </label>
        </fieldset>
        <label>
          {t('reserve.maxPrice')}
          <input
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={maxPrice}
            onChange={(e) => setMaxPrice(e.target.value)}
          />
        </label>
        <label>
          {t('reserve.quantity')}
          <select value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
            {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
              <option key={n} value={n}>
                {t('game.atLeast', { count: n })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button" disabled={create.isPending}>
          {t('reserve.submit')}
        </button>
      </form>
      {create.isError && <ErrorNotice error={create.error} />}
      {create.isSuccess && (
        <p className="notice success" role="status">
          {t('teamAlert.done')} <Link to="/me/reservations">{t('nav.reservations')}</Link>
        </p>
      )}
    </section>
  );
}

/** The member centre's team alerts, with the game alerts (issue 21 item 12). */
export function MyTeamAlerts() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const alerts = useQuery(myTeamAlertsQuery);
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/api/team-reservations/${id}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: myTeamAlertsQuery.queryKey }),
  });
  const items = alerts.data?.items ?? [];
  return (
    <section aria-labelledby="team-alerts-title">
      <h2 id="team-alerts-title">{t('teamAlert.mine')}</h2>
      {alerts.isError && <ErrorNotice error={alerts.error} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      {items.length === 0 ? (
        <p className="muted">
          {t('teamAlert.none')} <Link to="/search">{t('search.title')}</Link>
        </p>
      ) : (
        <ul className="order-list plain">
          {items.map((a) => (
            <li key={a.id} className="card">
              <div className="order-head">
                <div>
                  <Link to={`/teams/${a.team.id}`}>
                    <TeamDot color={a.team.color} />
                    <strong>{localName(a.team, locale)}</strong>
                  </Link>
                  <br />
                  <TeamAlertCriteria alert={a} />
                </div>
                <div className="order-status">
                  <button
                    type="button"
                    className="button ghost small"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(a.id)}
                  >
                    {t('reservations.delete')}
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

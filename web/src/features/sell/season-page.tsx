// Season-ticket holders (issue 22 item 4): one seat listed across many home games of a team at
// once. The face value of each game is the area's (the server fills it), one price rule for all,
// one request; the answer is shown per game (created, refused with its reason, or skipped).
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SPLIT_RULES } from '../../../../shared/contracts/vocabulary.ts';
import { api } from '../../api/client.ts';
import type { Game, Stadium } from '../../api/types.ts';
import type { BulkCreateListingsResult } from '../../../../shared/contracts/listings.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatGameTime } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName, matchTitle } from '../../lib/names.ts';
import { teamsQuery } from '../home/home-api.ts';

const MAX_GAMES = 60;

function isoDate(offsetDays: number) {
  return new Date(Date.now() + offsetDays * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

export default function SeasonPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  useTitle(t('season.title'));
  const teams = useQuery(teamsQuery);
  const [teamId, setTeamId] = useState('');
  const games = useQuery({
    queryKey: ['season-games', teamId],
    enabled: Boolean(teamId),
    queryFn: () =>
      api<{ items: Game[] }>('/api/games', {
        query: { from: isoDate(0), to: isoDate(61), teamId },
      }),
  });
  const stadiums = useQuery({
    queryKey: ['stadiums'],
    queryFn: () => api<{ items: Stadium[] }>('/api/stadiums'),
    staleTime: Infinity,
  });
  const home = (games.data?.items ?? []).filter((g) => g.homeTeam.id === teamId && g.onSale);
  const stadium = stadiums.data?.items.find((s) => s.id === home[0]?.stadium.id);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [form, setForm] = useState({
    areaId: '',
    section: '',
    row: '',
    seats: '',
    quantity: '2',
    splitRule: 'pairs',
    rule: 'percentOfFace',
    value: '90',
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const create = useMutation({
    mutationFn: () =>
      api<BulkCreateListingsResult>('/api/listings/bulk', {
        method: 'POST',
        body: {
          areaId: form.areaId,
          section: form.section.trim(),
          row: form.row.trim() || null,
          seats: form.seats.trim() || null,
          quantity: Number(form.quantity),
          splitRule: form.splitRule,
          deliveryMethod: 'eticket_transfer',
          price:
            form.rule === 'same'
              ? { kind: 'same', price: Number(form.value) }
              : { kind: 'percentOfFace', percent: Number(form.value) },
          games: home.filter((g) => chosen.has(g.id)).map((g) => ({ gameId: g.id })),
          allOrNothing: false,
        },
      }),
  });
  const ready = form.areaId && form.section.trim() && chosen.size > 0 && Number(form.value) > 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) create.mutate();
  };
  const byId = new Map(home.map((g) => [g.id, g]));

  return (
    <div className="page sell-page">
      <h1>{t('season.title')}</h1>
      <p className="muted">{t('season.intro')}</p>
      <form onSubmit={submit} className="card">
        <label className="field">
          <span>{t('season.team')}</span>
          <select
            value={teamId}
            onChange={(e) => {
              setTeamId(e.target.value);
              setChosen(new Set());
              setForm({ ...form, areaId: '' });
            }}
          >
            <option value="">{t('season.chooseTeam')}</option>
            {teams.data?.items.map((team) => (
              <option key={team.id} value={team.id}>
                {localName(team, locale)}
              </option>
            ))}
          </select>
        </label>
        {stadium && (
          <>
            <label className="field">
              <span>{t('sell.area')}</span>
              <select value={form.areaId} onChange={set('areaId')}>
                <option value="">{t('sell.chooseArea')}</option>
                {stadium.areas.map((a) => (
                  <option key={a.id} value={a.id}>
                    {localName(a, locale)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('sell.section')}</span>
              <input value={form.section} onChange={set('section')} maxLength={32} />
            </label>
            <label className="field">
              <span>{t('sell.row')}</span>
              <input value={form.row} onChange={set('row')} maxLength={16} />
            </label>
            <label className="field">
              <span>{t('sell.seats')}</span>
              <input value={form.seats} onChange={set('seats')} maxLength={64} />
            </label>
            <label className="field">
              <span>{t('sell.quantity')}</span>
              <select value={form.quantity} onChange={set('quantity')}>
                {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
                  <option key={n} value={n}>
                    {t('listing.qty', { count: n })}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('split.label')}</span>
              <select value={form.splitRule} onChange={set('splitRule')}>
                {SPLIT_RULES.map((r) => (
                  <option key={r} value={r}>
                    {t(`split.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('season.rule')}</span>
              <select value={form.rule} onChange={set('rule')}>
                <option value="percentOfFace">{t('season.percentOfFace')}</option>
                <option value="same">{t('season.samePrice')}</option>
              </select>
            </label>
            <label className="field">
              <span>{form.rule === 'same' ? t('sell.price') : t('bulk.percent')}</span>
              <input
                type="number"
                inputMode="numeric"
                min={1}
                max={form.rule === 'same' ? undefined : 100}
                value={form.value}
                onChange={set('value')}
              />
            </label>
            <fieldset className="field">
              <legend>{t('season.games', { count: chosen.size, max: MAX_GAMES })}</legend>
              <button
                type="button"
                className="button ghost small"
                onClick={() => setChosen(new Set(home.slice(0, MAX_GAMES).map((g) => g.id)))}
              >
                {t('season.all')}
              </button>
              <ul className="plain">
                {home.map((g) => (
                  <li key={g.id}>
                    <label>
                      <input
                        type="checkbox"
                        checked={chosen.has(g.id)}
                        onChange={(e) =>
                          setChosen((prev) => {
                            const next = new Set(prev);
                            if (e.target.checked && next.size < MAX_GAMES) next.add(g.id);
                            else next.delete(g.id);
                            return next;
                          })
                        }
                      />{' '}
                      {matchTitle(g, locale)} · {formatGameTime(g.startsAt, locale)}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          </>
        )}
        {teamId && games.isSuccess && home.length === 0 && <p>{t('season.noGames')}</p>}
        <button type="submit" className="button accent" disabled={!ready || create.isPending}>
          {t('season.submit', { count: chosen.size })}
        </button>
      </form>
      {create.isError && <ErrorNotice error={create.error} />}
      {create.data && (
        <section aria-labelledby="season-results" className="card">
          <h2 id="season-results" role="status">
            {t('season.created', { count: create.data.created })}
          </h2>
          <ul className="plain">
            {create.data.results.map((r) => {
              const g = byId.get(r.gameId);
              return (
                <li key={r.gameId}>
                  {g
                    ? `${matchTitle(g, locale)} · ${formatGameTime(g.startsAt, locale)}`
                    : r.gameId}
                  {' — '}
                  {r.status === 'created' && r.listingId ? (
                    <Link to={`/listings/${r.listingId}`}>{t('season.status.created')}</Link>
                  ) : (
                    t(`season.status.${r.status}`)
                  )}
                  {r.error && <span className="muted"> ({r.error.message})</span>}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}

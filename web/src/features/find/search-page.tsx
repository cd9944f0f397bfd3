// /search?q=: the search box answering as you type (issue 21 item 11). The words (teams in both
// languages and their nicknames, stadiums, 週六 / this weekend) are read by the server; the page
// shows what they named, links to the teams' pages, and the upcoming games that fit.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { GameCard } from '../../components/game-card.tsx';
import { CardSkeleton } from '../../components/skeleton.tsx';
import { TeamDot } from '../../components/team-dot.tsx';
import { formatLocalDate } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName } from '../../lib/names.ts';
import { teamsQuery } from '../home/home-api.ts';
import { searchQuery } from './find-api.ts';
import './find.css';

/** How long typing pauses before the words are sent. */
export const TYPING_PAUSE_MS = 250;

const EXAMPLES = {
  'zh-TW': ['兄弟 週六', '樂天 桃園', '這週末', '猿 vs 龍'],
  en: ['Brothers Saturday', 'Monkeys Taoyuan', 'this weekend', 'Lions vs Hawks'],
};

export default function SearchPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  useTitle(t('search.title'));
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = (params.get('q') ?? '').trim();

  // The URL follows the box once typing pauses (a shared link or Back shows the same answer).
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() !== q) setParams(text.trim() ? { q: text.trim() } : {}, { replace: true });
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, q, setParams]);

  const teams = useQuery(teamsQuery);
  const result = useQuery({
    ...searchQuery(q),
    enabled: q.length > 0 && q.length <= 60,
    placeholderData: keepPreviousData,
  });
  const data = q ? result.data : undefined;

  return (
    <div className="page search-page">
      <h1>{t('search.title')}</h1>
      <form role="search" className="search-form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="search-box">{t('search.label')}</label>
        <input
          id="search-box"
          type="search"
          value={text}
          maxLength={60}
          autoComplete="off"
          enterKeyHint="search"
          aria-describedby="search-hint"
          onChange={(e) => setText(e.target.value)}
        />
        <p id="search-hint" className="muted small">
          {t('search.hint')}{' '}
          {EXAMPLES[locale].map((ex, i) => (
            <span key={ex}>
              {i > 0 && '、'}
              <button type="button" className="link-button" onClick={() => setText(ex)}>
                {ex}
              </button>
            </span>
          ))}
        </p>
      </form>

      <section aria-labelledby="teams-title">
        <h2 id="teams-title" className="visually-hidden">
          {t('search.teams')}
        </h2>
        <ul className="chip-row">
          {(data?.teams.length ? data.teams : (teams.data?.items ?? [])).map((team) => (
            <li key={team.id}>
              <Link to={`/teams/${team.id}`} className="chip">
                <TeamDot color={team.color} />
                {localName(team, locale)}
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="results-title" aria-live="polite" aria-busy={result.isFetching}>
        <h2 id="results-title">{q ? t('search.results', { q }) : t('search.prompt')}</h2>
        {result.isError && <ErrorNotice error={result.error} />}
        {data && (data.stadiums.length > 0 || data.dates) && (
          <p className="muted">
            {[
              ...data.stadiums.map((s) => localName(s, locale)),
              data.dates &&
                (data.dates.from === data.dates.to
                  ? formatLocalDate(data.dates.from, locale)
                  : `${formatLocalDate(data.dates.from, locale)} – ${formatLocalDate(data.dates.to, locale)}`),
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        )}
        {data && data.unmatched.length > 0 && (
          <p className="notice">
            {t('search.unmatched', { words: data.unmatched.join(locale === 'en' ? ', ' : '、') })}
          </p>
        )}
        {q && result.isPending ? (
          <CardSkeleton count={2} />
        ) : data && data.games.length > 0 ? (
          <div className="card-grid">
            {data.games.map((g) => (
              <GameCard key={g.id} game={g} />
            ))}
          </div>
        ) : data && data.unmatched.length === 0 ? (
          <p className="empty">{t('search.none')}</p>
        ) : null}
      </section>
    </div>
  );
}

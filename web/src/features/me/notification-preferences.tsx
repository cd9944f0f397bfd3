// 通知設定: for each notification type, which outside channels carry it (in-site is always on),
// quiet hours (push and LINE wait for their end), and the LINE link, offered only when the server has LINE configured (GET /api/line).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  LineStatus,
  NotificationPreferences,
  OutsideChannel,
  QuietHours,
  TypePreference,
} from '../../../../shared/contracts/notification-channels.ts';
import { api } from '../../api/client.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';

export const PREFERENCES_KEY = ['me', 'notification-preferences'] as const;
export const LINE_KEY = ['line'] as const;

export const preferencesQuery = {
  queryKey: PREFERENCES_KEY,
  queryFn: () => api<NotificationPreferences>('/api/me/notification-preferences'),
};
export const lineQuery = {
  queryKey: LINE_KEY,
  queryFn: () => api<LineStatus>('/api/line'),
};

type Draft = Record<string, Pick<TypePreference, OutsideChannel>>;

function toDraft(types: TypePreference[]): Draft {
  return Object.fromEntries(
    types.map((p) => [p.type, { email: p.email, push: p.push, line: p.line }]),
  );
}

function LineLink({ line }: { line: LineStatus }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const link = useMutation({
    mutationFn: () => api<{ authorizeUrl: string }>('/api/line/login', { method: 'POST' }),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
  const unlink = useMutation({
    mutationFn: () => api<null>('/api/line', { method: 'DELETE' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: LINE_KEY });
      void qc.invalidateQueries({ queryKey: PREFERENCES_KEY });
    },
  });
  return (
    <div className="line-link actions-row">
      {line.linked ? (
        <>
          <span>{t('prefs.lineLinked', { name: line.displayName ?? 'LINE' })}</span>
          <button
            type="button"
            className="button ghost small"
            disabled={unlink.isPending}
            onClick={() => unlink.mutate()}
          >
            {t('prefs.lineUnlink')}
          </button>
        </>
      ) : (
        <>
          <span className="muted">{t('prefs.lineIntro')}</span>
          <button
            type="button"
            className="button small"
            disabled={link.isPending}
            onClick={() => link.mutate()}
          >
            {t('prefs.lineLink')}
          </button>
        </>
      )}
      {(link.error ?? unlink.error) && <ErrorNotice error={link.error ?? unlink.error} />}
    </div>
  );
}

const DEFAULT_QUIET: QuietHours = { start: '22:00', end: '07:00', includeMatches: false };

/** Quiet hours: off, or a window (Asia/Taipei) during which push and LINE wait. */
function QuietHoursFields({
  value,
  onChange,
}: {
  value: { on: boolean } & QuietHours;
  onChange: (next: { on: boolean } & QuietHours) => void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="prefs-quiet">
      <legend>{t('prefs.quiet.title')}</legend>
      <p className="muted small">{t('prefs.quiet.intro')}</p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.on}
          onChange={(e) => onChange({ ...value, on: e.target.checked })}
        />
        {t('prefs.quiet.on')}
      </label>
      {value.on && (
        <>
          <div className="actions-row">
            <label>
              {t('prefs.quiet.start')}{' '}
              <input
                type="time"
                required
                value={value.start}
                onChange={(e) => onChange({ ...value, start: e.target.value })}
              />
            </label>
            <label>
              {t('prefs.quiet.end')}{' '}
              <input
                type="time"
                required
                value={value.end}
                onChange={(e) => onChange({ ...value, end: e.target.value })}
              />
            </label>
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={value.includeMatches}
              onChange={(e) => onChange({ ...value, includeMatches: e.target.checked })}
            />
            {t('prefs.quiet.includeMatches')}
          </label>
          <p className="hint">{t('prefs.quiet.note')}</p>
        </>
      )}
    </fieldset>
  );
}

const toQuietDraft = (q: QuietHours | null) => ({ on: q !== null, ...(q ?? DEFAULT_QUIET) });

/** The preferences form; `line` is GET /api/line (null while unknown: no LINE column). */
export function PreferencesForm({
  prefs,
  line,
}: {
  prefs: NotificationPreferences;
  line: LineStatus | null;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => toDraft(prefs.types));
  const [quiet, setQuiet] = useState(() => toQuietDraft(prefs.quietHours));
  const save = useMutation({
    mutationFn: (body: {
      types: { type: string; email: boolean; push: boolean; line: boolean }[];
      quietHours: QuietHours | null;
    }) => api<NotificationPreferences>('/api/me/notification-preferences', { method: 'PUT', body }),
    onSuccess: (next) => {
      qc.setQueryData(PREFERENCES_KEY, next);
      setDraft(toDraft(next.types));
      setQuiet(toQuietDraft(next.quietHours));
    },
  });
  const channels: OutsideChannel[] = line?.available
    ? ['email', 'push', 'line']
    : ['email', 'push'];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { on, ...hours } = quiet;
    save.mutate({
      types: prefs.types.map((p) => ({ type: p.type, ...draft[p.type]! })),
      quietHours: on ? hours : null,
    });
  };
  const toggle = (type: string, channel: OutsideChannel, on: boolean) => {
    save.reset();
    setDraft((d) => ({ ...d, [type]: { ...d[type]!, [channel]: on } }));
  };
  return (
    <section className="card prefs" aria-labelledby="prefs-title">
      <h2 id="prefs-title">{t('prefs.title')}</h2>
      <p className="muted small">{t('prefs.intro')}</p>
      <p className="muted small">{t('prefs.matchMail')}</p>
      {line?.available && <LineLink line={line} />}
      <form onSubmit={submit}>
        <table className="prefs-table">
          <caption className="visually-hidden">{t('prefs.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('prefs.type')}</th>
              <th scope="col">{t('prefs.channel.inSite')}</th>
              {channels.map((c) => (
                <th key={c} scope="col">
                  {t(`prefs.channel.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {prefs.types.map((p) => {
              const label = t(`prefs.types.${p.type}`);
              return (
                <tr key={p.type}>
                  <th scope="row">{label}</th>
                  <td>
                    <input
                      type="checkbox"
                      checked
                      disabled
                      aria-label={`${label}：${t('prefs.channel.inSite')}`}
                    />
                  </td>
                  {channels.map((c) => (
                    <td key={c}>
                      <input
                        type="checkbox"
                        checked={draft[p.type]?.[c] ?? false}
                        aria-label={`${label}：${t(`prefs.channel.${c}`)}`}
                        onChange={(e) => toggle(p.type, c, e.target.checked)}
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
        {!prefs.channels.email && <p className="hint">{t('prefs.emailOff')}</p>}
        {!prefs.channels.push && <p className="hint">{t('prefs.pushNone')}</p>}
        {line?.available && !line.linked && <p className="hint">{t('prefs.lineNone')}</p>}
        <QuietHoursFields
          value={quiet}
          onChange={(next) => {
            save.reset();
            setQuiet(next);
          }}
        />
        <p className="actions-row">
          <button type="submit" className="button" disabled={save.isPending}>
            {t('prefs.save')}
          </button>
          {save.isSuccess && (
            <span role="status" className="muted">
              {t('profile.saved')}
            </span>
          )}
        </p>
        {save.isError && <ErrorNotice error={save.error} />}
      </form>
    </section>
  );
}

/** The section as the member centre shows it. */
export function NotificationPreferencesSection() {
  const prefs = useQuery(preferencesQuery);
  const line = useQuery(lineQuery);
  if (prefs.isError) return <ErrorNotice error={prefs.error} />;
  if (!prefs.data || line.isPending) return null;
  // LINE answers an error → treat as not available (the column and link stay hidden).
  return <PreferencesForm prefs={prefs.data} line={line.data ?? null} />;
}

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { CardSkeleton } from '../../components/skeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import {
  markAllRead,
  markRead,
  markReadInBell,
  NOTIFICATIONS_KEY,
  notificationsPageQuery,
} from '../notifications/notifications-api.ts';
import { MeNav } from './me-nav.tsx';
import { NotificationPreferencesSection } from './notification-preferences.tsx';
import { UnreadDot } from '../notifications/unread-dot.tsx';

export default function MyNotificationsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  useTitle(t('nav.notifications'));
  const list = useInfiniteQuery(notificationsPageQuery(locale));
  const refresh = () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  const readOne = useMutation({
    mutationFn: markRead,
    onMutate: (id) => markReadInBell(qc, id),
    onSettled: refresh,
  });
  const readAll = useMutation({
    mutationFn: markAllRead,
    onMutate: () => markReadInBell(qc, null),
    onSettled: refresh,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unreadCount ?? 0;
  return (
    <div className="page me-page">
      <h1>{t('nav.notifications')}</h1>
      <MeNav />
      <div className="actions-row">
        <span className="muted">{t('notifications.unread', { count: unread })}</span>
        <button
          type="button"
          className="button ghost small"
          disabled={unread === 0 || readAll.isPending}
          onClick={() => readAll.mutate()}
        >
          {t('bell.readAll')}
        </button>
      </div>
      {list.isError && <ErrorNotice error={list.error} />}
      {list.isPending ? (
        <CardSkeleton count={3} />
      ) : items.length === 0 ? (
        <p className="empty">{t('bell.empty')}</p>
      ) : (
        <ul className="notification-list plain">
          {items.map((n) => (
            <li key={n.id} className={`card notification-card ${n.readAt ? 'read' : 'unread'}`}>
              <div>
                <strong>
                  {!n.readAt && <UnreadDot />}
                  {n.link ? (
                    <Link to={n.link} onClick={() => !n.readAt && readOne.mutate(n.id)}>
                      {n.title}
                    </Link>
                  ) : (
                    n.title
                  )}
                </strong>
                <p>{n.body}</p>
                <time className="muted small" dateTime={n.createdAt}>
                  {formatDateTime(n.createdAt, locale)}
                </time>
              </div>
              {!n.readAt && (
                <button
                  type="button"
                  className="button ghost small"
                  onClick={() => readOne.mutate(n.id)}
                >
                  {t('notifications.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <p className="center">
          <button
            type="button"
            className="button ghost"
            disabled={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {t('common.more')}
          </button>
        </p>
      )}
      <NotificationPreferencesSection />
    </div>
  );
}

// The header bell: unread badge and the latest notifications, updated live.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DropdownMenu } from 'radix-ui';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { AppNotification } from '../../api/types.ts';
import { BellIcon } from '../../components/icons.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import {
  bellQuery,
  markAllRead,
  markRead,
  markReadInBell,
  NOTIFICATIONS_KEY,
} from './notifications-api.ts';
import { refreshAfterNotification } from './live-refresh.ts';
import { useNotificationStream } from './use-notification-stream.ts';
import { UnreadDot } from './unread-dot.tsx';

export default function Bell() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [announce, setAnnounce] = useState('');
  const [pulse, setPulse] = useState(0);
  const stream = useNotificationStream((item: AppNotification) => {
    setAnnounce(t('bell.new', { title: item.title }));
    setPulse((p) => p + 1);
    refreshAfterNotification(qc, item);
  });
  const bell = useQuery({
    ...bellQuery(locale),
    // Poll only when the live stream is not available.
    refetchInterval: stream === 'off' ? 60_000 : false,
  });
  const readOne = useMutation({
    mutationFn: markRead,
    onMutate: (id) => markReadInBell(qc, id),
    onSettled: () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
  const readAll = useMutation({
    mutationFn: markAllRead,
    onMutate: () => markReadInBell(qc, null),
    onSettled: () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
  const unread = bell.data?.unreadCount ?? 0;
  const items = bell.data?.items ?? [];

  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger
          className={`bell-button ${unread > 0 ? 'has-unread' : ''}`}
          aria-label={t('bell.label', { count: unread })}
          data-unread={unread}
          data-stream={stream}
        >
          <BellIcon />
          {unread > 0 && (
            <span key={pulse} className="bell-badge" aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className="menu bell-menu" align="end" sideOffset={6}>
            <DropdownMenu.Label className="menu-label">{t('bell.title')}</DropdownMenu.Label>
            {items.length === 0 && <p className="menu-empty">{t('bell.empty')}</p>}
            {items.map((n) => (
              <DropdownMenu.Item
                key={n.id}
                className={`menu-item notification ${n.readAt ? 'read' : 'unread'}`}
                onSelect={() => {
                  if (!n.readAt) readOne.mutate(n.id);
                  if (n.link) void navigate(n.link);
                }}
              >
                <span className="notification-title">
                  {!n.readAt && <UnreadDot />}
                  {n.title}
                </span>
                <span className="notification-body">{n.body}</span>
                <span className="notification-time">{formatDateTime(n.createdAt, locale)}</span>
              </DropdownMenu.Item>
            ))}
            <DropdownMenu.Separator className="menu-separator" />
            <div className="menu-actions">
              <DropdownMenu.Item
                className="menu-item compact"
                disabled={unread === 0}
                onSelect={(e) => {
                  e.preventDefault();
                  readAll.mutate();
                }}
              >
                {t('bell.readAll')}
              </DropdownMenu.Item>
              <DropdownMenu.Item
                className="menu-item compact"
                onSelect={() => void navigate('/me/notifications')}
              >
                {t('bell.seeAll')}
              </DropdownMenu.Item>
            </div>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <span className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </span>
    </>
  );
}

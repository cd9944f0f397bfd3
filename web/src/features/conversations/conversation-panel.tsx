// 訂單對話 on the order page (issue 18 item 5): the buyer and the seller of a paid order write to
// each other (text ≤ 1,000 characters, optionally a photo). New messages arrive live (the bell's
// stream refetches this query), read marks within CONVERSATION_REFRESH_MS, a message asking to pay
// outside the site carries a warning, and after closing the composer gives way to a notice.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation, OrderMessage } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { MAX_MESSAGE_LENGTH } from '../../../../shared/contracts/conversations.ts';
import {
  CONVERSATION_REFRESH_MS,
  conversationQuery,
  markConversationRead,
  postMessage,
} from './conversation-api.ts';
import './conversation.css';

type Role = 'buyer' | 'seller';

export function ConversationPanel({ orderId, role }: { orderId: string; role: Role }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const headingId = useId();
  const query = useQuery({
    ...conversationQuery(orderId),
    refetchInterval: CONVERSATION_REFRESH_MS,
  });
  const conversation = query.data;
  const read = useMutation({
    mutationFn: () => markConversationRead(orderId),
    onSuccess: () => void qc.invalidateQueries({ queryKey: conversationQuery(orderId).queryKey }),
  });
  // What the other party wrote is read once it is on screen.
  const unread = conversation?.unread ?? 0;
  const { mutate: markRead, isPending: marking } = read;
  useEffect(() => {
    if (unread > 0 && !marking) markRead();
  }, [unread, marking, markRead]);

  return (
    <section className="conversation" id="conversation" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('conversation.title')}</h3>
      {query.isError && <ErrorNotice error={query.error} />}
      {query.isPending && <p className="muted small">{t('common.loading')}</p>}
      {conversation && (
        <>
          <MessageList conversation={conversation} role={role} />
          {conversation.open ? (
            <Composer orderId={orderId} closesAt={conversation.closesAt} />
          ) : (
            <p className="notice small" role="status">
              {conversation.closedReason === 'closed'
                ? t('conversation.closed')
                : conversation.closedReason === 'not_paid'
                  ? t('conversation.notPaid')
                  : t('conversation.readOnly')}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function MessageList({ conversation, role }: { conversation: Conversation; role: Role }) {
  const { t } = useTranslation();
  if (conversation.messages.length === 0)
    return <p className="muted small">{t('conversation.empty')}</p>;
  return (
    <ol className="plain message-list" aria-live="polite" aria-relevant="additions">
      {conversation.messages.map((m) => (
        <Message key={m.id} message={m} role={role} />
      ))}
    </ol>
  );
}

function Message({ message: m, role }: { message: OrderMessage; role: Role }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const who = m.mine ? t('conversation.you') : t(`orders.${m.from}`);
  const otherParty = role === 'buyer' ? t('orders.seller') : t('orders.buyer');
  return (
    <li className={`message ${m.mine ? 'mine' : 'theirs'} ${m.flagged ? 'flagged' : ''}`}>
      <p className="message-meta small muted">
        <strong>{who}</strong> ·{' '}
        <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, locale)}</time>
      </p>
      {m.flagged && (
        <p className="message-warning small" role="note">
          ⚠ {m.mine ? t('conversation.flaggedMine') : t('conversation.flagged')}
        </p>
      )}
      {m.body && <p className="user-text message-body">{m.body}</p>}
      {m.photoUrl && (
        <a href={m.photoUrl} target="_blank" rel="noopener" className="message-photo">
          <img src={m.photoUrl} alt={t('conversation.photoAlt', { who })} loading="lazy" />
        </a>
      )}
      {m.mine && (
        <p className="small muted message-read">
          {m.readAt
            ? t('conversation.read', { time: formatDateTime(m.readAt, locale) })
            : t('conversation.notRead', { who: otherParty })}
        </p>
      )}
    </li>
  );
}

function Composer({ orderId, closesAt }: { orderId: string; closesAt: string | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const ids = { text: useId(), count: useId(), photo: useId() };
  const send = useMutation({
    mutationFn: () => postMessage(orderId, body.trim(), photo),
    onSuccess: () => {
      setBody('');
      setPhoto(null);
      if (fileRef.current) fileRef.current.value = '';
      void qc.invalidateQueries({ queryKey: conversationQuery(orderId).queryKey });
    },
  });
  const length = body.trim().length;
  const tooLong = body.length > MAX_MESSAGE_LENGTH;
  const canSend = (length > 0 || photo !== null) && !tooLong && !send.isPending;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (canSend) send.mutate();
  };
  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={ids.text}>{t('conversation.label')}</label>
      <textarea
        id={ids.text}
        name="body"
        rows={3}
        value={body}
        maxLength={MAX_MESSAGE_LENGTH}
        aria-describedby={ids.count}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          // Ctrl/⌘ + Enter sends; Enter alone is a new line.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit(e);
        }}
      />
      <p id={ids.count} className={`small ${tooLong ? 'field-error' : 'muted'}`}>
        {t('conversation.count', { count: body.length, max: MAX_MESSAGE_LENGTH })}
        {' · '}
        {t('conversation.hint')}
      </p>
      <div className="composer-actions">
        <label htmlFor={ids.photo} className="small">
          {t('conversation.photo')}
        </label>
        <input
          id={ids.photo}
          ref={fileRef}
          type="file"
          name="photo"
          accept="image/jpeg,image/png,image/webp,image/avif"
          onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
        />
        <button type="submit" className="button" disabled={!canSend}>
          {send.isPending ? t('conversation.sending') : t('conversation.send')}
        </button>
      </div>
      {closesAt && (
        <p className="small muted">
          {t('conversation.closesAt', { time: formatDateTime(closesAt, locale) })}
        </p>
      )}
      <ErrorNotice error={send.error} />
    </form>
  );
}

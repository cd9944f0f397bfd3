import { useTranslation } from 'react-i18next';

/** The dot before an unread notification's title, in the bell and on My notifications. */
export function UnreadDot() {
  const { t } = useTranslation();
  // An image with a label: aria-label on a bare span is not allowed (axe aria-prohibited-attr).
  return <span className="unread-dot" role="img" aria-label={t('bell.unread')} />;
}

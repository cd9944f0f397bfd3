// E-mail for a notification: the same title and body as the bell, as plain text and as a small
// inline-styled HTML page (mail clients ignore <style> blocks). Everything user-written is escaped.
// Colours are the site's: navy header and links, the red action button (issue 21 item 6).
import type { NotificationLocale } from './notifications.templates.ts';

export interface EmailInput {
  locale: NotificationLocale;
  recipientName: string;
  title: string;
  body: string;
  /** Path of the page the notification is about, e.g. /listings/:id. */
  link: string;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const COPY = {
  'zh-TW': {
    greeting: (name: string) => `${name} 你好：`,
    action: '查看詳情',
    footer: '你收到這封信，是因為你在 Pitch-A-Seat 開啟了 e-mail 通知。',
    preferences: '調整 e-mail 通知設定',
    signature: 'Pitch-A-Seat 二手球票交換平台',
  },
  en: {
    greeting: (name: string) => `Hi ${name},`,
    action: 'View details',
    footer:
      'You are receiving this because e-mail notifications are on in your Pitch-A-Seat account.',
    preferences: 'Change your e-mail preferences',
    signature: 'Pitch-A-Seat — CPBL tickets at face value or less',
  },
} as const;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** An absolute link on our own site; anything that is not a path falls back to the home page. */
export function absoluteUrl(publicUrl: string, path: string): string {
  const safePath = path.startsWith('/') && !path.startsWith('//') ? path : '/';
  return `${publicUrl}${safePath}`;
}

/** Subjects are one line: no CR/LF from a title can reach the mail headers. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

export function renderEmail(input: EmailInput): RenderedEmail {
  const copy = COPY[input.locale];
  const url = absoluteUrl(input.publicUrl, input.link);
  const preferencesUrl = absoluteUrl(input.publicUrl, '/me/profile');
  const subject = oneLine(input.title);
  const name = oneLine(input.recipientName) || (input.locale === 'en' ? 'there' : '球迷');

  const text = [
    copy.greeting(name),
    '',
    subject,
    '',
    input.body,
    '',
    `${copy.action}: ${url}`,
    '',
    '--',
    copy.signature,
    copy.footer,
    `${copy.preferences}: ${preferencesUrl}`,
    '',
  ].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${input.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;padding:24px 0;">
<tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;width:100%;background:#ffffff;border-radius:8px;font-family:-apple-system,'Segoe UI','Noto Sans TC','PingFang TC','Microsoft JhengHei',Helvetica,Arial,sans-serif;color:#1f2933;">
<tr><td style="padding:20px 28px;border-bottom:3px solid #0b3d91;font-size:18px;font-weight:700;color:#0b3d91;">Pitch-A-Seat</td></tr>
<tr><td style="padding:24px 28px 8px;font-size:15px;line-height:1.6;">${e(copy.greeting(name))}</td></tr>
<tr><td style="padding:0 28px;font-size:20px;line-height:1.4;font-weight:700;">${e(subject)}</td></tr>
<tr><td style="padding:12px 28px 20px;font-size:15px;line-height:1.7;white-space:pre-line;">${e(input.body)}</td></tr>
<tr><td style="padding:0 28px 28px;"><a href="${e(url)}" style="display:inline-block;background:#c8102e;color:#ffffff;text-decoration:none;font-size:15px;font-weight:600;padding:10px 22px;border-radius:6px;">${e(copy.action)}</a></td></tr>
<tr><td style="padding:16px 28px 24px;border-top:1px solid #e4e7eb;font-size:12px;line-height:1.6;color:#616e7c;">${e(copy.signature)}<br>${e(copy.footer)}<br><a href="${e(preferencesUrl)}" style="color:#0b3d91;">${e(copy.preferences)}</a></td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  return { subject, text, html };
}

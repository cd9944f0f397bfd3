// The account e-mails (verify, reset, password changed, confirm a new address, address changed,
// account closed) in zh-TW and English, in the notification e-mails' style: plain text plus a
// small inline-styled HTML page. Links carry their token in the fragment (#token=…), which
// browsers never send to a server, so it reaches no access log or proxy.
import type { MailMessage } from '../../platform/mail/mailer.ts';

export type AccountMailKind =
  | 'verify_email'
  | 'reset_password'
  | 'password_changed'
  | 'confirm_new_email'
  | 'email_changed'
  | 'account_deleted';

type Locale = 'zh-TW' | 'en';

interface Copy {
  subject: string;
  body: string;
  action?: string;
}

const COPY: Record<Locale, Record<AccountMailKind, Copy>> = {
  'zh-TW': {
    verify_email: {
      subject: '請驗證你的電子郵件',
      body: '歡迎加入 Pitch-A-Seat！請按下方按鈕驗證這個電子郵件地址，驗證後就能刊登球票與結帳。連結 24 小時內有效，只能使用一次。\n如果不是你註冊的，請忽略這封信。',
      action: '驗證電子郵件',
    },
    reset_password: {
      subject: '重設你的密碼',
      body: '我們收到重設密碼的申請。請按下方按鈕設定新密碼，連結 1 小時內有效，只能使用一次。\n如果不是你申請的，請忽略這封信，你的密碼不會改變。',
      action: '重設密碼',
    },
    password_changed: {
      subject: '你的密碼已變更',
      body: '你的 Pitch-A-Seat 密碼剛剛變更了，其他裝置上的登入都已登出。\n如果這不是你做的，請立刻用「忘記密碼」重設密碼，並聯絡我們。',
      action: '前往登入',
    },
    confirm_new_email: {
      subject: '確認你的新電子郵件',
      body: '你申請把 Pitch-A-Seat 帳號的電子郵件改成這個地址。請按下方按鈕確認，連結 24 小時內有效。\n如果不是你申請的，請忽略這封信。',
      action: '確認新的電子郵件',
    },
    email_changed: {
      subject: '你的帳號電子郵件已變更',
      body: '你的 Pitch-A-Seat 帳號電子郵件已改為新的地址，之後的通知都會寄到那裡。\n如果這不是你做的，請立刻聯絡我們。',
    },
    account_deleted: {
      subject: '你的帳號已刪除',
      body: '你的 Pitch-A-Seat 帳號已經關閉，個人資料已刪除或匿名化。謝謝你曾經使用 Pitch-A-Seat。',
    },
  },
  en: {
    verify_email: {
      subject: 'Please verify your e-mail address',
      body: 'Welcome to Pitch-A-Seat! Press the button below to verify this address; once verified you can list tickets and check out. The link works once, for 24 hours.\nIf you did not sign up, please ignore this e-mail.',
      action: 'Verify e-mail',
    },
    reset_password: {
      subject: 'Reset your password',
      body: 'We received a request to reset your password. Press the button below to choose a new one; the link works once, for 1 hour.\nIf you did not ask for this, ignore this e-mail: your password stays the same.',
      action: 'Reset password',
    },
    password_changed: {
      subject: 'Your password was changed',
      body: 'Your Pitch-A-Seat password was just changed, and your other devices were signed out.\nIf this was not you, reset your password with "Forgot password" at once and contact us.',
      action: 'Sign in',
    },
    confirm_new_email: {
      subject: 'Confirm your new e-mail address',
      body: 'You asked to change the e-mail address of your Pitch-A-Seat account to this one. Press the button below to confirm; the link works for 24 hours.\nIf you did not ask for this, please ignore this e-mail.',
      action: 'Confirm new e-mail',
    },
    email_changed: {
      subject: 'Your account e-mail address was changed',
      body: 'The e-mail address of your Pitch-A-Seat account was changed to a new one; notifications go there from now on.\nIf this was not you, contact us at once.',
    },
    account_deleted: {
      subject: 'Your account was closed',
      body: 'Your Pitch-A-Seat account is closed and your personal data erased or anonymised. Thank you for having used Pitch-A-Seat.',
    },
  },
};

const FRAME = {
  'zh-TW': {
    greeting: (name: string) => `${name} 你好：`,
    footer: '這是帳號安全通知，無論 e-mail 通知設定為何都會寄送。',
    signature: 'Pitch-A-Seat 二手球票交換平台',
    fallback: '球迷',
  },
  en: {
    greeting: (name: string) => `Hi ${name},`,
    footer: 'This is an account security message; it is sent whatever your e-mail preferences.',
    signature: 'Pitch-A-Seat — CPBL tickets at face value or less',
    fallback: 'there',
  },
} as const;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const e = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

export interface AccountMailInput {
  kind: AccountMailKind;
  to: string;
  locale: string;
  name: string;
  /** Absolute URL of the button (with its #token=… when there is one). */
  url?: string;
}

export function renderAccountMail(input: AccountMailInput): MailMessage {
  const locale: Locale = input.locale === 'en' ? 'en' : 'zh-TW';
  const copy = COPY[locale][input.kind];
  const frame = FRAME[locale];
  const name = oneLine(input.name) || frame.fallback;
  const subject = copy.subject;
  const action = copy.action && input.url ? { label: copy.action, url: input.url } : null;
  const text = [
    frame.greeting(name),
    '',
    subject,
    '',
    copy.body,
    ...(action ? ['', `${action.label}: ${action.url}`] : []),
    '',
    '--',
    frame.signature,
    frame.footer,
    '',
  ].join('\n');
  const button = action
    ? `<tr><td style="padding:0 28px 28px;"><a href="${e(action.url)}" style="display:inline-block;background:#0b6e4f;color:#ffffff;text-decoration:none;font-size:15px;font-weight:600;padding:10px 22px;border-radius:6px;">${e(action.label)}</a></td></tr>\n`
    : '';
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;padding:24px 0;">
<tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;width:100%;background:#ffffff;border-radius:8px;font-family:-apple-system,'Segoe UI','Noto Sans TC','PingFang TC','Microsoft JhengHei',Helvetica,Arial,sans-serif;color:#1f2933;">
<tr><td style="padding:20px 28px;border-bottom:3px solid #0b6e4f;font-size:18px;font-weight:700;color:#0b6e4f;">Pitch-A-Seat</td></tr>
<tr><td style="padding:24px 28px 8px;font-size:15px;line-height:1.6;">${e(frame.greeting(name))}</td></tr>
<tr><td style="padding:0 28px;font-size:20px;line-height:1.4;font-weight:700;">${e(subject)}</td></tr>
<tr><td style="padding:12px 28px 20px;font-size:15px;line-height:1.7;white-space:pre-line;">${e(copy.body)}</td></tr>
${button}<tr><td style="padding:16px 28px 24px;border-top:1px solid #e4e7eb;font-size:12px;line-height:1.6;color:#616e7c;">${e(frame.signature)}<br>${e(frame.footer)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  return { to: input.to, subject, text, html };
}

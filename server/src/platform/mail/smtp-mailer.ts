// SMTP driver (nodemailer), e.g. SMTP_URL=smtps://user:app-password@smtp.gmail.com:465.
// `send` throws unless the server accepted the recipient; the job worker retries with back-off.
import { createTransport } from 'nodemailer';
import { assertMailMessage, type Mailer } from './mailer.ts';

export interface SmtpMailerOptions {
  url: string;
  from: string;
}

export function createSmtpMailer({ url, from }: SmtpMailerOptions): Mailer {
  const transport = createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      assertMailMessage(message);
      const info = await transport.sendMail({ from, ...message });
      const accepted = (info.accepted ?? []).map((a) => String(a).toLowerCase());
      if (!accepted.includes(message.to.toLowerCase())) {
        throw new Error(`SMTP server did not accept the recipient: ${info.response ?? ''}`);
      }
    },
    async close() {
      transport.close();
    },
  };
}

// Mail port. Drivers: file (.eml outbox, default), smtp (nodemailer), log.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Throws when the message was not accepted; the job worker retries. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/** One plain address (no display name, no list): what every driver accepts. */
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** Every driver refuses the same malformed messages, before any transport is involved. */
export function assertMailMessage(message: MailMessage): void {
  if (!ADDRESS.test(message.to)) throw new Error(`invalid mail recipient: ${message.to}`);
  if (!message.subject.trim() || /[\r\n]/.test(message.subject))
    throw new Error('mail subject must be one non-empty line');
}

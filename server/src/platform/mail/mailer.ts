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

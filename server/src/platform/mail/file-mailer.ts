// File driver (the embedded default): each message is rendered as a complete MIME message by
// nodemailer and written to DATA_DIR/outbox/<iso-ts>-<id>.eml (open it with any mail client).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import { newId } from '../../shared/ids.ts';
import { assertMailMessage, type Mailer } from './mailer.ts';

export interface FileMailerOptions {
  dir: string;
  from: string;
}

export function createFileMailer({ dir, from }: FileMailerOptions): Mailer {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(message) {
      assertMailMessage(message);
      const info = await transport.sendMail({ from, ...message });
      // ':' is not allowed in Windows file names; the basic ISO form sorts the same.
      const stamp = new Date().toISOString().replace(/:/g, '-');
      const file = path.join(dir, `${stamp}-${newId()}.eml`);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Write then rename, so a reader of the outbox never sees half a message.
      // Personal data (names, e-mail addresses, orders): readable by this user only.
      await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    },
    async close() {
      transport.close();
    },
  };
}

// Memory driver for component tests (pass it as `createDeps(config, { mailer })`): keeps what was
// sent so a test can assert on it. `failNext(n)` makes the next n sends throw, like a flaky server.
import { assertMailMessage, type MailMessage, type Mailer } from './mailer.ts';

export interface MemoryMailer extends Mailer {
  readonly sent: MailMessage[];
  failNext(times?: number): void;
}

export function createMemoryMailer(): MemoryMailer {
  const sent: MailMessage[] = [];
  let failures = 0;
  return {
    sent,
    failNext(times = 1) {
      failures = times;
    },
    async send(message) {
      assertMailMessage(message);
      if (failures > 0) {
        failures--;
        throw new Error('memory mailer: simulated delivery failure');
      }
      sent.push({ ...message });
    },
    async close() {},
  };
}

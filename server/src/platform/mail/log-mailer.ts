// Log driver: records that a message would have been sent (recipient and subject only; never the
// body, which may carry links with tokens). For demos and load tests.
import type { FastifyBaseLogger } from 'fastify';
import { assertMailMessage, type Mailer } from './mailer.ts';

export function createLogMailer(log: Pick<FastifyBaseLogger, 'info'>): Mailer {
  return {
    async send(message) {
      assertMailMessage(message);
      log.info({ mail: { to: message.to, subject: message.subject } }, 'mail (log transport)');
    },
    async close() {},
  };
}

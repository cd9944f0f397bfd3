// MAIL_TRANSPORT wiring: deps.mailer is the configured driver.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/build-test-app.ts';
import { createMemoryMailer } from './memory-mailer.ts';

const message = {
  to: 'fan@example.test',
  subject: '您的票券已售出',
  text: 'Sold.',
  html: '<p>Sold.</p>',
};

describe('MAIL_TRANSPORT', () => {
  it('when nothing is configured, then mail is written to DATA_DIR/outbox', async () => {
    const t = await buildTestApp();
    try {
      await t.deps.mailer.send(message);
      const outbox = path.join(t.dataDir, 'outbox');
      const files = readdirSync(outbox);
      expect(files).toHaveLength(1);
      const parsed = await simpleParser(readFileSync(path.join(outbox, files[0]!)));
      expect(parsed.subject).toBe(message.subject);
      expect(parsed.from?.text).toContain('Pitch-A-Seat');
    } finally {
      await t.close();
    }
  });

  it('when MAIL_TRANSPORT=log, then nothing is written', async () => {
    const t = await buildTestApp({ env: { MAIL_TRANSPORT: 'log' } });
    try {
      await t.deps.mailer.send(message);
      expect(() => readdirSync(path.join(t.dataDir, 'outbox'))).toThrow();
    } finally {
      await t.close();
    }
  });

  it('when a test passes a memory mailer, then deps.mailer is that mailer', async () => {
    const mailer = createMemoryMailer();
    const t = await buildTestApp({ mailer });
    try {
      await t.deps.mailer.send(message);
      expect(mailer.sent).toEqual([message]);
    } finally {
      await t.close();
    }
  });
});

// One contract for the mail port, run on every driver (file, smtp against a local smtp-server,
// log, memory), then what only SMTP can do: a server that refuses first and recovers later.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileMailer } from './file-mailer.ts';
import { createLogMailer } from './log-mailer.ts';
import type { MailMessage, Mailer } from './mailer.ts';
import { createMemoryMailer } from './memory-mailer.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

const FROM = 'Pitch-A-Seat <no-reply@pitch-a-seat.test>';
const USER = 'pas-mailer';
const PASSWORD = 'app-password-1234';

/** What a test can observe of a delivered message (log keeps no body). */
interface Received {
  to: string;
  subject: string;
  from?: string;
  text?: string;
  html?: string;
}

const fromParsed = (p: ParsedMail): Received => ({
  to: Array.isArray(p.to) ? p.to[0]!.text : (p.to?.text ?? ''),
  subject: p.subject ?? '',
  from: p.from?.text,
  text: p.text?.trim(),
  html: typeof p.html === 'string' ? p.html : undefined,
});

// ---- a local SMTP server ------------------------------------------------------------------------

interface LocalSmtp {
  port: number;
  url: string;
  received: ParsedMail[];
  /** Refuse the next n messages at DATA with a temporary failure (451). */
  refuseNext(times: number): void;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function startSmtp(port = 0, extra: Partial<SMTPServerOptions> = {}): Promise<LocalSmtp> {
  const received: ParsedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD)
        return callback(null, { user: USER });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          const err = new Error('Try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            received.push(parsed);
            callback(null, 'queued');
          },
          (err: Error) => callback(err),
        );
      });
    },
    ...extra,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `smtp://${USER}:${PASSWORD}@127.0.0.1:${actual}`,
    received,
    refuseNext(times) {
      refusals = times;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- the drivers --------------------------------------------------------------------------------

interface Driver {
  name: string;
  /** Whether the body (text and html) can be observed, not only recipient and subject. */
  bodies: boolean;
  setup(): Promise<{ mailer: Mailer; received(): Promise<Received[]>; teardown(): Promise<void> }>;
}

const drivers: Driver[] = [
  {
    name: 'file',
    bodies: true,
    async setup() {
      const dir = mkdtempSync(path.join(tmpdir(), 'pas-outbox-'));
      const mailer = createFileMailer({ dir, from: FROM });
      return {
        mailer,
        async received() {
          const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
          return Promise.all(
            files.map(async (f) => fromParsed(await simpleParser(readFileSync(path.join(dir, f))))),
          );
        },
        async teardown() {
          await mailer.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'smtp',
    bodies: true,
    async setup() {
      const smtp = await startSmtp();
      const mailer = createSmtpMailer({ url: smtp.url, from: FROM });
      return {
        mailer,
        received: async () => smtp.received.map(fromParsed),
        async teardown() {
          await mailer.close();
          await smtp.close();
        },
      };
    },
  },
  {
    name: 'log',
    bodies: false,
    async setup() {
      const lines: { mail?: { to: string; subject: string }; msg: string }[] = [];
      const log = pino(
        { level: 'info' },
        { write: (line: string) => lines.push(JSON.parse(line)) },
      );
      return {
        mailer: createLogMailer(log),
        received: async () =>
          lines.filter((l) => l.mail).map((l) => ({ to: l.mail!.to, subject: l.mail!.subject })),
        async teardown() {},
      };
    },
  },
  {
    name: 'memory',
    bodies: true,
    async setup() {
      const mailer = createMemoryMailer();
      return {
        mailer,
        received: async () => mailer.sent.map((m) => ({ ...m, from: FROM })),
        async teardown() {},
      };
    },
  },
];

const message = (overrides: Partial<MailMessage> = {}): MailMessage => ({
  to: 'buyer@example.test',
  subject: '訂單已付款：中信兄弟 vs 統一7-ELEVEn獅',
  text: '您的訂單已付款。\nYour order is paid.',
  html: '<p>您的訂單已付款。</p><p>Your order is <b>paid</b>.</p>',
  ...overrides,
});

describe.each(drivers)('mail contract on $name', (driver) => {
  let mailer: Mailer;
  let received: () => Promise<Received[]>;
  let teardown: () => Promise<void>;
  beforeAll(async () => {
    ({ mailer, received, teardown } = await driver.setup());
  });
  afterAll(async () => teardown());

  it('when a multipart message with a Chinese subject is sent, then it arrives intact', async () => {
    const sent = message({ to: 'fan-1@example.test' });
    await mailer.send(sent);
    const got = (await received()).filter((r) => r.to === sent.to);
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toBe(sent.subject);
    if (driver.bodies) {
      expect(got[0]!.text).toBe(sent.text);
      expect(got[0]!.html).toContain('<p>您的訂單已付款。</p>');
      expect(got[0]!.from).toContain('no-reply@pitch-a-seat.test');
    } else {
      expect(JSON.stringify(got[0])).not.toContain('Your order is');
    }
  });

  it('when several messages are sent, then each arrives once', async () => {
    const to = ['a@example.test', 'b@example.test', 'c@example.test'];
    for (const t of to) await mailer.send(message({ to: t, subject: `Hello ${t}` }));
    const got = (await received()).filter((r) => to.includes(r.to));
    expect(got.map((r) => r.subject).sort()).toEqual(to.map((t) => `Hello ${t}`).sort());
  });

  it('when the recipient is not an address, then send throws and nothing is sent', async () => {
    const before = (await received()).length;
    await expect(mailer.send(message({ to: 'not-an-address' }))).rejects.toThrow(/recipient/);
    await expect(mailer.send(message({ to: 'a@example.test, b@example.test' }))).rejects.toThrow();
    expect((await received()).length).toBe(before);
  });

  it('when the subject spans lines, then send throws (no header injection)', async () => {
    await expect(
      mailer.send(message({ subject: 'Hi\r\nBcc: victim@example.test' })),
    ).rejects.toThrow(/subject/);
  });
});

describe('file mail driver', () => {
  it('when a message is written, then it is one <iso-ts>-<id>.eml file with both parts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pas-outbox-'));
    try {
      await createFileMailer({ dir: path.join(dir, 'outbox'), from: FROM }).send(message());
      const files = readdirSync(path.join(dir, 'outbox'));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-z]{26}\.eml$/);
      const raw = readFileSync(path.join(dir, 'outbox', files[0]!), 'utf8');
      expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
      expect(raw).toMatch(/Subject: =\?UTF-8\?/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the outbox cannot be written, then send throws', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pas-outbox-'));
    try {
      const blocker = path.join(dir, 'not-a-dir');
      writeFileSync(blocker, 'x');
      await expect(
        createFileMailer({ dir: blocker, from: FROM }).send(message()),
      ).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('smtp mail driver against a local server', () => {
  it('when the server refuses and then recovers, then send throws and a later send arrives', async () => {
    const smtp = await startSmtp();
    const mailer = createSmtpMailer({ url: smtp.url, from: FROM });
    try {
      smtp.refuseNext(1);
      await expect(mailer.send(message())).rejects.toThrow(/451|Try again later/);
      expect(smtp.received).toHaveLength(0);

      await mailer.send(message());
      expect(smtp.received).toHaveLength(1);
      const parsed = smtp.received[0]!;
      expect(parsed.subject).toBe(message().subject);
      expect(parsed.text?.trim()).toBe(message().text);
      expect(parsed.html).toContain('Your order is <b>paid</b>.');
      expect(parsed.from?.value[0]?.address).toBe('no-reply@pitch-a-seat.test');
      expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });

  it('when no server listens yet, then send throws, and once it is up a send arrives', async () => {
    const port = await freePort();
    const url = `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`;
    const mailer = createSmtpMailer({ url, from: FROM });
    try {
      await expect(mailer.send(message())).rejects.toThrow(/ECONNREFUSED|connect/i);
      const smtp = await startSmtp(port);
      try {
        await mailer.send(message());
        expect(smtp.received.map((m) => m.subject)).toEqual([message().subject]);
      } finally {
        await smtp.close();
      }
    } finally {
      await mailer.close();
    }
  });

  it('when the recipient is refused, then send throws', async () => {
    const smtp = await startSmtp(0, {
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) {
          const err = new Error('No such user') as Error & { responseCode: number };
          err.responseCode = 550;
          return callback(err);
        }
        callback();
      },
    });
    const mailer = createSmtpMailer({ url: smtp.url, from: FROM });
    try {
      await expect(mailer.send(message({ to: 'nobody@example.test' }))).rejects.toThrow();
      expect(smtp.received).toHaveLength(0);
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });

  it('when the password is wrong, then send throws', async () => {
    const smtp = await startSmtp();
    const mailer = createSmtpMailer({
      url: `smtp://${USER}:wrong-password@127.0.0.1:${smtp.port}`,
      from: FROM,
    });
    try {
      await expect(mailer.send(message())).rejects.toThrow(/auth|Invalid/i);
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });
});

// Helpers for the end-to-end journeys: the server under test, the browser, axe, screenshots and a
// small API client for setting up data the journey is not about.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { freePort } from '../server/test/free-port.ts';

export const RESULTS_DIR = path.resolve('test-results');
/**
 * With E2E_TRACE=on (GitHub Actions' e2e job sets it), every journey is recorded as a Playwright
 * trace and a failed journey's is written here (`npx playwright-core show-trace <file>`).
 * Off by default: recording costs about a third more CPU.
 */
export const TRACES_DIR = path.join(RESULTS_DIR, 'traces');
const TRACE = process.env.E2E_TRACE === 'on';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Server {
  baseUrl: string;
  /** Where the server's file mailer writes (null: unknown, links cannot be followed). */
  outboxDir: string | null;
  stop: () => Promise<void>;
}

async function waitForHealth(baseUrl: string, child: ChildProcess | null, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${baseUrl} did not become healthy`);
}

/** Uses E2E_BASE_URL when given; otherwise starts the built app on a temp data dir with demo data.
 *  `cwd`: a directory whose dist/web is served instead of this checkout's (bench builds there);
 *  `env`: settings over the defaults below; `web: false`: the API only (no dist/web needed). */
export async function startServer(
  options: { cwd?: string; env?: Record<string, string>; web?: boolean } = {},
): Promise<Server> {
  const given = process.env.E2E_BASE_URL;
  if (given) {
    const baseUrl = given.replace(/\/$/, '');
    await waitForHealth(baseUrl, null, 10_000);
    return { baseUrl, outboxDir: process.env.E2E_OUTBOX_DIR ?? null, stop: async () => {} };
  }
  const cwd = path.resolve(options.cwd ?? '.');
  if (options.web !== false && !existsSync(path.join(cwd, 'dist/web/index.html'))) {
    throw new Error('dist/web is missing: run `npm run build:web` first (e2e builds nothing)');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pas-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.resolve('server/src/main.ts')], {
    cwd,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DEMO_DATA: 'true',
      DATABASE_URL: '',
      REDIS_URL: '',
      RATE_LIMIT: 'off',
      PAYMENT_PROVIDER: 'simulator',
      // Every wallet, so that journey 13 can press each button (the simulator's merchants).
      TAPPAY_WALLETS: 'linepay,jkopay,applepay,googlepay',
      MAIL_TRANSPORT: 'file',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForHealth(baseUrl, child, 60_000);
  return {
    baseUrl,
    /** MAIL_TRANSPORT=file writes each e-mail here (verification and reset links). */
    outboxDir: path.join(dataDir, 'outbox'),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface Journey {
  name: string;
  baseUrl: string;
  browser: Browser;
  api: Api;
  /** A new browser context (cookies of their own), closed after the journey. */
  newPage: (options?: { width?: number; height?: number; mobile?: boolean }) => Promise<Page>;
  /** Screenshot + axe (serious/critical violations fail the journey). */
  check: (page: Page, label: string) => Promise<void>;
  log: (message: string) => void;
}

export class JourneyFailure extends Error {}

export function createJourney(
  name: string,
  baseUrl: string,
  browser: Browser,
  api: Api,
): Journey & { close: (options: { keepTrace: boolean }) => Promise<void> } {
  const contexts: BrowserContext[] = [];
  let shot = 0;
  const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  mkdirSync(RESULTS_DIR, { recursive: true });
  return {
    name,
    baseUrl,
    browser,
    api,
    log: (message) => console.log(`  · ${message}`),
    async newPage(options = {}) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
        isMobile: options.mobile ?? false,
        hasTouch: options.mobile ?? false,
        deviceScaleFactor: 1,
        locale: 'zh-TW',
        timezoneId: 'Asia/Taipei',
      });
      contexts.push(context);
      // Recorded for every journey, written only for one that failed (close below).
      if (TRACE) await context.tracing.start({ screenshots: true, snapshots: true });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (err) => console.log(`  ! page error: ${err.message}`));
      return page;
    },
    async check(page, label) {
      shot += 1;
      // Scroll through once so that lazily loaded sections (charts) render before the shot.
      // (Not 'networkidle': a signed-in page keeps its notification stream open.)
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForTimeout(300);
      await page
        .waitForFunction(
          () =>
            !document.querySelector('.skeleton, [aria-busy="true"], .chart-placeholder') &&
            [...document.images].every((img) => img.complete),
          undefined,
          { timeout: 10_000 },
        )
        .catch(() => {});
      await page.evaluate(() => window.scrollTo(0, 0));
      const file = path.join(RESULTS_DIR, `${slug}-${String(shot).padStart(2, '0')}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        .analyze();
      const bad = results.violations.filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      const width = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      if (width.scroll > width.client + 1) {
        throw new JourneyFailure(
          `${label}: horizontal scroll (${width.scroll}px content in ${width.client}px)`,
        );
      }
      if (bad.length > 0) {
        const lines = bad.map(
          (v) =>
            `${v.impact} ${v.id}: ${v.help} → ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(' | ')}`,
        );
        throw new JourneyFailure(`${label}: axe\n    ${lines.join('\n    ')}`);
      }
    },
    async close({ keepTrace }) {
      const save = TRACE && keepTrace;
      if (save) mkdirSync(TRACES_DIR, { recursive: true });
      for (const [i, c] of contexts.entries()) {
        if (TRACE) {
          const trace = path.join(TRACES_DIR, `${slug}-${i + 1}.zip`);
          await c.tracing.stop(save ? { path: trace } : {}).catch(() => {});
          if (save) console.log(`    trace: ${path.relative(process.cwd(), trace)}`);
        }
        await c.close().catch(() => {});
      }
    },
  };
}

// ---- a small API client for setting up data (Bearer tokens, as API clients use)

export interface ApiUser {
  id: string;
  email: string;
  name: string;
  token: string;
}

/** The decoded text parts of an .eml file (quoted-printable or base64, as nodemailer wrote). */
export function emlText(raw: string): string {
  const out: string[] = [];
  for (const part of raw.split(/\r?\n--[^\r\n]+\r?\n/)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = part.slice(0, split).toLowerCase();
    const body = part.slice(split).trim();
    if (headers.includes('content-transfer-encoding: base64'))
      out.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    else if (headers.includes('content-transfer-encoding: quoted-printable'))
      out.push(
        Buffer.from(
          body
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
      );
    else out.push(body);
  }
  return out.join('\n');
}

export class Api {
  readonly baseUrl: string;
  readonly outboxDir: string | null;
  constructor(baseUrl: string, outboxDir: string | null = null) {
    this.baseUrl = baseUrl;
    this.outboxDir = outboxDir;
  }

  /**
   * The newest link to `page` (e.g. /verify-email) in a mail to `to`, waiting for it to arrive
   * (account mail is sent in the background): an absolute URL with its #token=….
   */
  async linkFromOutbox(to: string, page: string, timeoutMs = 10_000): Promise<string> {
    if (!this.outboxDir) throw new Error('no outbox (set E2E_OUTBOX_DIR for an external server)');
    const pattern = new RegExp(`https?://[^\\s"<>]+${page}#token=[\\w-]+`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const files = existsSync(this.outboxDir)
        ? readdirSync(this.outboxDir)
            .filter((f) => f.endsWith('.eml'))
            .sort()
            .reverse()
        : [];
      for (const file of files) {
        const raw = readFileSync(path.join(this.outboxDir, file), 'utf8');
        if (!raw.toLowerCase().includes(`to: ${to.toLowerCase()}`)) continue;
        const match = pattern.exec(emlText(raw));
        if (match) return match[0];
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no ${page} link for ${to} in the outbox`);
  }

  /** Verifies a fresh account's address through the link it was mailed. */
  async verifyEmail(to: string) {
    if (!this.outboxDir) return;
    const link = await this.linkFromOutbox(to, '/verify-email');
    const token = link.split('#token=')[1]!;
    await this.request('POST', '/api/auth/verify-email', { token });
  }

  async request<T>(method: string, url: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${url}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
    return data as T;
  }

  async register(prefix: string): Promise<ApiUser> {
    const email = `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;
    const name = `${prefix}${Math.random().toString(36).slice(2, 5)}`;
    const result = await this.request<{ user: { id: string }; token: string }>(
      'POST',
      '/api/auth/register',
      { email, password: 'correct-horse-42', name },
    );
    await this.verifyEmail(email);
    return { id: result.user.id, email, name, token: result.token };
  }
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;
}

/** Today's date in Taipei, and n days later, as YYYY-MM-DD. */
export function taipeiDate(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86_400_000 + 8 * 3_600_000);
  return d.toISOString().slice(0, 10);
}

/**
 * What the seller needs for the handover (issue 18), asked above the payment for e-tickets (a
 * club-app account) and mail (an address); nothing for in person. Call once the checkout shows.
 */
export async function fillRecipient(page: Page) {
  const account = page.locator('#recipient-account');
  if (await account.count()) await account.fill('0912345678');
  const name = page.locator('#recipient-name');
  if (await name.count()) {
    await name.fill('王小明');
    await page.locator('#recipient-postalCode').fill('10617');
    await page.locator('#recipient-address').fill('臺北市大安區羅斯福路四段1號');
  }
}

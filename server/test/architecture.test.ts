// The rules of docs/ARCHITECTURE.md that code review alone would let slip:
// - one owner per table: only the owning module's code writes (insert, update, delete) a table;
//   others go through the owner's index.ts (listing moves, game schedule, user records);
// - a module imports only another module's index.ts, and platform/ never imports modules/
//   (the ESLint rule in eslint.config.js; here we prove it bites).
// Each rule is also run on a deliberately wrong fixture, so a rule that stopped looking fails.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Who writes each table. A module's code (or a platform adapter) writes only its own. */
const TABLE_OWNERS: Record<string, string> = {
  teams: 'catalog',
  stadiums: 'catalog',
  seat_areas: 'catalog',
  stadium_maps: 'catalog',
  games: 'catalog',
  users: 'accounts',
  sessions: 'accounts',
  account_tokens: 'accounts',
  user_totp: 'accounts',
  totp_recovery_codes: 'accounts',
  listings: 'listings',
  listing_images: 'listings',
  orders: 'orders',
  order_status_history: 'orders',
  payouts: 'orders',
  payout_batches: 'orders',
  hold_addresses: 'orders',
  order_recipients: 'orders',
  order_proofs: 'orders',
  handover_code_attempts: 'orders',
  order_messages: 'conversations',
  selling_pause_lifts: 'orders',
  order_dispute_photos: 'orders',
  handover_methods: 'handover',
  payments: 'payments',
  refunds: 'payments',
  reviews: 'reviews',
  reservations: 'reservations',
  reservation_areas: 'reservations',
  reservation_matches: 'reservations',
  team_reservations: 'reservations',
  team_reservation_matches: 'reservations',
  notifications: 'notifications',
  push_subscriptions: 'notifications',
  notification_quiet_hours: 'notifications',
  match_mail_marks: 'notifications',
  notification_deliveries: 'notifications',
  notification_preferences: 'notifications',
  line_accounts: 'notifications',
  line_login_states: 'notifications',
  rec_events: 'recommendations',
  game_changes: 'schedule',
  schedule_sync_runs: 'schedule',
  game_overrides: 'schedule',
  club_refund_policies: 'schedule',
  jobs: 'platform/jobs',
};

/**
 * The one exception: demo data is generated as whole rows of many owners' tables and loaded into
 * an empty database in one transaction (DEMO_DATA=true only), so it may write any table.
 */
const SEEDERS = new Set(['server/src/modules/demo/demo-data.ts']);

const WRITES = new Set(['insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto']);

interface Write {
  file: string;
  line: number;
  method: string;
  /** The table written, or null when the call names it with an expression. */
  table: string | null;
}

/** Every Kysely write call in a source text, with the table it names. */
function findWrites(file: string, text: string): Write[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Write[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      WRITES.has(node.expression.name.text)
    ) {
      const arg = node.arguments[0];
      const table =
        arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))
          ? arg.text.split(/\s+as\s+/)[0]!.trim()
          : null;
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      out.push({ file, line: line + 1, method: node.expression.name.text, table });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** `catalog` for server/src/modules/catalog/…, `platform/jobs` for server/src/platform/jobs/…. */
function ownerOfFile(file: string): string | null {
  const m = /^server\/src\/(?:modules\/([^/]+)|(platform\/[^/]+))\//.exec(file);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** Writes to a table the file's module does not own (`file:line method(table)` each). */
function ownershipViolations(files: { file: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const { file, text } of files) {
    if (SEEDERS.has(file)) continue;
    const owner = ownerOfFile(file);
    for (const w of findWrites(file, text)) {
      const where = `${w.file}:${w.line} ${w.method}(${w.table ?? '<expression>'})`;
      if (w.table === null) out.push(`${where}: the table must be named, not computed`);
      else if (TABLE_OWNERS[w.table] === undefined) out.push(`${where}: table without an owner`);
      else if (TABLE_OWNERS[w.table] !== owner)
        out.push(`${where}: ${TABLE_OWNERS[w.table]} owns it; use its index.ts`);
    }
  }
  return out;
}

function sourceFiles(dir: string): { file: string; text: string }[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => {
      const file = path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/');
      return { file, text: readFileSync(path.join(ROOT, file), 'utf8') };
    });
}

describe('one owner per table', () => {
  it('when the schema has a table, then the owner map names its owner', () => {
    const schema = ts.createSourceFile(
      'schema.ts',
      readFileSync(path.join(ROOT, 'server/src/platform/db/schema.ts'), 'utf8'),
      ts.ScriptTarget.Latest,
    );
    const db = schema.statements.find(
      (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'DB',
    );
    const tables = db!.members.map((m) => (m.name as ts.Identifier).text).sort();
    expect(tables.length).toBeGreaterThan(10);
    expect(Object.keys(TABLE_OWNERS).sort()).toEqual(tables);
  });

  it('when module and platform code writes a table, then it owns that table', () => {
    const files = [...sourceFiles('server/src/modules'), ...sourceFiles('server/src/platform')];
    expect(files.length).toBeGreaterThan(50);
    expect(ownershipViolations(files)).toEqual([]);
  });

  it('when a repository writes another module’s table (fixture), then the test names the write', () => {
    const fixture = {
      file: 'server/src/modules/reviews/reviews.repository.ts',
      text: `
        export async function addSellerRating(db, sellerId, rating) {
          await db.insertInto('reviews').values({ id: 'r' }).execute();
          await db.updateTable('users').set({ rating_sum: rating }).where('id', '=', sellerId).execute();
        }`,
    };
    expect(ownershipViolations([fixture])).toEqual([
      'server/src/modules/reviews/reviews.repository.ts:4 updateTable(users): accounts owns it; use its index.ts',
    ]);
  });

  it('when a write computes its table or uses an alias (fixture), then the check still sees it', () => {
    const fixture = {
      file: 'server/src/modules/orders/orders.repository.ts',
      text: `
        const t = 'listings';
        await trx.updateTable(t).set({ status: 'sold' }).execute();
        await trx.deleteFrom('listings as l').where('l.id', '=', id).execute();
        await trx.insertInto('orders').values(row).execute();`,
    };
    expect(ownershipViolations([fixture])).toEqual([
      'server/src/modules/orders/orders.repository.ts:3 updateTable(<expression>): the table must be named, not computed',
      'server/src/modules/orders/orders.repository.ts:4 deleteFrom(listings): listings owns it; use its index.ts',
    ]);
  });
});

describe('module boundaries (ESLint)', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const restricted = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
    return result!.messages
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => m.message.split("'")[1]);
  };

  it('when a module imports another module’s internals (fixture), then lint fails on that import only', async () => {
    const code = [
      "import { PAYMENT_TRANSITIONS } from '../payments/payment-state.ts';",
      "import { createPaymentsService } from '../payments/index.ts';",
      "import { newId } from '../../shared/ids.ts';",
      "import { createCheckout } from './orders.checkout.ts';",
      'export const all = [PAYMENT_TRANSITIONS, createPaymentsService, newId, createCheckout];',
    ].join('\n');
    expect(await restricted('server/src/modules/orders/fixture.ts', code)).toEqual([
      '../payments/payment-state.ts',
    ]);
  });

  it('when a file in a module’s subfolder reaches into another module (fixture), then lint fails', async () => {
    const code = [
      "import { createOrders } from '../../orders/orders.service.ts';",
      "import { ordersRoutes } from '../../orders/index.ts';",
      "import type { Db } from '../../../platform/db/dialect.ts';",
      "import { createPaymentsService } from '../payments.service.ts';",
      'export const all = [createOrders, ordersRoutes, createPaymentsService];',
      'export type D = Db;',
    ].join('\n');
    expect(await restricted('server/src/modules/payments/tappay/fixture.ts', code)).toEqual([
      '../../orders/orders.service.ts',
    ]);
  });

  it('when platform code imports a module (fixture), then lint fails', async () => {
    const code = [
      "import { createOrders } from '../../modules/orders/index.ts';",
      "import { isDeadlock } from '../db/dialect.ts';",
      'export const all = [createOrders, isDeadlock];',
    ].join('\n');
    expect(await restricted('server/src/platform/jobs/fixture.ts', code)).toEqual([
      '../../modules/orders/index.ts',
    ]);
  });
});

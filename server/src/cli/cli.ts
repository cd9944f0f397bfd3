// Shared plumbing of the command-line tools: plain output lines, a clear message and a non-zero
// exit code on failure, migrations first on the embedded database.
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createDeps } from '../deps.ts';
import { seedCatalog } from '../modules/catalog/index.ts';
import { ensureHandoverGuide } from '../modules/handover/index.ts';

export class UsageError extends Error {}

export const say = (line: string) => process.stdout.write(`${line}\n`);

/** Runs a command; any error becomes one "error: …" line on stderr and exit code 1 (78 for config). */
export async function runCli(usage: string, command: () => Promise<void>): Promise<never> {
  try {
    await command();
    process.exit(0);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n`);
    if (err instanceof UsageError) process.stderr.write(`${usage}\n`);
    else if (/doesn't exist|no such table/i.test(message))
      process.stderr.write('hint: run `npm run db:migrate` first\n');
    process.exit(1);
  }
}

/** Config and deps for a tool; the embedded SQLite database is migrated and seeded first. */
export async function openForCli(config: Config = loadConfig()) {
  const deps = await createDeps(config);
  if (config.database.driver === 'sqlite') {
    await deps.database.migrate();
    await seedCatalog(deps.db);
    await ensureHandoverGuide(deps.db, deps.clock.now().toISOString());
  }
  return deps;
}

// npm run db:migrate — applies pending migrations and seeds the reference catalogue (teams,
// stadiums, seat areas). Safe to run again: it applies nothing and changes nothing.
import { loadConfig } from '../config.ts';
import { seedCatalog } from '../modules/catalog/index.ts';
import { ensureHandoverGuide } from '../modules/handover/index.ts';
import { createDatabase } from '../platform/db/database.ts';
import { runCli, say } from './cli.ts';

await runCli('usage: npm run db:migrate', async () => {
  const config = loadConfig();
  const database = createDatabase(config.database);
  try {
    const target =
      config.database.driver === 'sqlite' ? config.database.file : 'DATABASE_URL (MySQL/MariaDB)';
    say(`database: ${config.database.driver} ${target}`);
    const applied = await database.migrate();
    if (applied.length === 0) say('migrations: up to date');
    for (const name of applied) say(`applied ${name}`);
    await seedCatalog(database.db);
    await ensureHandoverGuide(database.db, new Date().toISOString());
    const teams = await database.db.selectFrom('teams').select('id').execute();
    const stadiums = await database.db.selectFrom('stadiums').select('id').execute();
    say(`catalogue: ${teams.length} teams, ${stadiums.length} stadiums`);
  } finally {
    await database.destroy();
  }
});

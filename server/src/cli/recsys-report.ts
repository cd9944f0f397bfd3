// npm run recsys:report [-- --since YYYY-MM-DD] [--until YYYY-MM-DD]
// CTR per A/B arm of the recommendations with 95 % Wilson intervals and a sample-ratio-mismatch
// check, from the rec_events of the configured database. Dates are Asia/Taipei days.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { buildExperimentReport, formatExperimentReport } from '../modules/recommendations/index.ts';
import { createDatabase } from '../platform/db/database.ts';
import { fromTaipei } from '../shared/clock.ts';
import { runCli, say, UsageError } from './cli.ts';

const usage = 'usage: npm run recsys:report [-- --since YYYY-MM-DD] [--until YYYY-MM-DD]';

await runCli(usage, async () => {
  let values: { since?: string; until?: string };
  try {
    ({ values } = parseArgs({
      options: { since: { type: 'string' }, until: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const day = (s: string | undefined, name: string) => {
    if (s === undefined) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s)))
      throw new UsageError(`--${name} must be a date YYYY-MM-DD`);
    return fromTaipei(s).toISOString();
  };
  const since = day(values.since, 'since');
  const until = day(values.until, 'until');
  const config = loadConfig();
  const database = createDatabase(config.database);
  try {
    if (config.database.driver === 'sqlite') await database.migrate();
    const report = await buildExperimentReport(database.db, { since, until });
    say(
      `recommendations A/B report (${config.database.driver}${values.since ? `, from ${values.since}` : ''}${values.until ? `, before ${values.until}` : ''})`,
    );
    say('');
    say(formatExperimentReport(report));
  } finally {
    await database.destroy();
  }
});

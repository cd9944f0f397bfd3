// npm run schedule:import -- --csv server/src/data/cpbl-schedule-2026.csv
// npm run schedule:import -- --cpbl --year 2027 [--kind A] [--months 3-11]
// Upserts games by (year, kind, game number); a second run changes nothing. Moved games get a
// `game.moved` job (holders are told by the worker).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  IMPORTABLE_KINDS,
  importCpblSchedule,
  importScheduleCsv,
  parseMonths,
  type ImportableKind,
  type ImportReport,
} from '../modules/catalog/index.ts';
import { openForCli, runCli, say, UsageError } from './cli.ts';

const USAGE = [
  'usage: npm run schedule:import -- --csv <file> [--kind A]',
  '       npm run schedule:import -- --cpbl --year <YYYY> [--kind A|C|E] [--months 3-11]',
].join('\n');

function printReport(report: ImportReport) {
  say(`source: ${report.source}`);
  say(`games read: ${report.rows} (ignored ${report.ignored}: other kinds, farm league, repeats)`);
  say(`inserted: ${report.inserted}`);
  say(`updated: ${report.updated} (moved: ${report.moved}, game.moved jobs enqueued)`);
  say(`unchanged: ${report.unchanged}`);
  say(`skipped: ${report.skipped.length}`);
  for (const s of report.skipped) say(`  ${s.ref}: ${s.reason}`);
}

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      csv: { type: 'string' },
      cpbl: { type: 'boolean', default: false },
      year: { type: 'string' },
      kind: { type: 'string', default: 'A' },
      months: { type: 'string', default: '3-11' },
    },
  });
  if (Boolean(values.csv) === values.cpbl)
    throw new UsageError('give either --csv <file> or --cpbl');
  const kind = values.kind as ImportableKind;
  if (!IMPORTABLE_KINDS.includes(kind))
    throw new UsageError(`--kind must be one of ${IMPORTABLE_KINDS.join(', ')}`);

  let run: (deps: Awaited<ReturnType<typeof openForCli>>) => Promise<ImportReport>;
  if (values.csv) {
    const file = values.csv;
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${file}: ${err.code ?? err.message}`);
    });
    run = (deps) => importScheduleCsv(deps, text, `csv ${file}`, kind);
  } else {
    const year = Number(values.year);
    if (!values.year || !Number.isInteger(year) || year < 1990 || year > 2100)
      throw new UsageError('--year must be a season such as 2027');
    let months: number[];
    try {
      months = parseMonths(values.months);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    run = (deps) => importCpblSchedule(deps, { fetch, year, kind, months });
  }

  const deps = await openForCli();
  try {
    printReport(await run(deps));
  } finally {
    await deps.close();
  }
});

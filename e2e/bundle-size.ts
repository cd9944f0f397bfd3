// `node e2e/bundle-size.ts`: gzip size of the JavaScript the home page loads from dist/web (the
// entry and its static imports, plus the calendar, which it loads lazily but at once), against the
// 150 kB budget of issue 8. The charts chunk loads only when the market section scrolls into view;
// shown apart.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 150_000;
const dir = path.resolve('dist/web/assets');
const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
const html = readFileSync(path.resolve('dist/web/index.html'), 'utf8');
const gz = (f: string) => gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length;
const chunk = (prefix: string) => files.find((f) => f.startsWith(`${prefix}-`));

function closure(start: string[], seen = new Set<string>()) {
  const stack = [...start];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const src = readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) stack.push(m[1]!);
  }
  return seen;
}

const entry = [...html.matchAll(/src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
const calendar = chunk('game-calendar');
if (!calendar) throw new Error('no game-calendar chunk in dist/web/assets');
const home = closure([...entry, calendar]);
const charts = [...closure([chunk('market-charts')!])].filter((f) => !home.has(f));
const total = [...home].reduce((sum, f) => sum + gz(f), 0);
const chartsTotal = charts.reduce((sum, f) => sum + gz(f), 0);
for (const f of [...home].sort((a, b) => gz(b) - gz(a))) {
  console.log(`${(gz(f) / 1000).toFixed(1).padStart(7)} kB  ${f}`);
}
console.log(`home page JS: ${(total / 1000).toFixed(1)} kB gzip (budget ${BUDGET / 1000} kB)`);
console.log(`charts, when scrolled into view: +${(chartsTotal / 1000).toFixed(1)} kB gzip`);
process.exit(total <= BUDGET ? 0 : 1);

// Tables of `npm run bench` and the block of docs/PERFORMANCE.md each run may rewrite
// (`--write`): <!-- bench:KEY:start --> … <!-- bench:KEY:end -->.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import type { Interleaved, SubjectResult } from './measure.ts';
import type { Measured } from './scenario.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Row {
  name: string;
  result: string;
  value: string;
  target: string;
  verdict: string;
}

export const perSecond = (n: number) => `${Math.round(n).toLocaleString('en')} req/s`;
const micros = (us: number | null) => (us === null ? '' : `${us.toFixed(1)} µs CPU/req`);

export function machine(info: { database: string; drivers: string }) {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    database: info.database,
    drivers: info.drivers,
  };
}

/** The load average as `uptime` prints it (1, 5, 15 min), for the line above a table. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

function subjectCell(s: SubjectResult, withRange: boolean) {
  if (!s.ratio) return '–';
  return [
    perSecond(s.rps),
    s.p99 ? `p99 ${s.p99} ms` : '',
    micros(s.cpuUs),
    withRange ? `slices ${s.ratio.min.toFixed(2)}–${s.ratio.max.toFixed(2)}×` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The throughput table: each scenario as shipped and as tuned, as ratios to the bare route and
 * server CPU per request; the target applies to the shipped figures.
 */
export function throughputTable(results: Interleaved[], bare: { rps: number; cpuUs: number }) {
  const lines = [
    '| scenario | shipped (`npm start` defaults) | shipped ÷ bare | tuned (no log, no jobs, no limits) | tuned ÷ bare | target (shipped) | verdict |',
    '|---|---:|---:|---:|---:|---:|---|',
    `| bare Fastify route (mean over the run) | | | ${perSecond(bare.rps)}, ${micros(bare.cpuUs)} | 1.00× | | reference |`,
  ];
  for (const m of results) {
    const [shipped, tuned] = m.subjects as [SubjectResult, SubjectResult];
    const ratio = (s: SubjectResult) => (s.ratio ? `${s.ratio.median.toFixed(2)}×` : '–');
    const errors = m.subjects.filter((s) => s.error).map((s) => `${s.label}: ${s.error}`);
    const verdict = errors.length
      ? `error: ${errors.join('; ')}`
      : m.target === null
        ? 'reference'
        : shipped.ratio && shipped.ratio.median >= m.target
          ? 'pass'
          : 'FAIL';
    lines.push(
      `| ${m.name} | ${subjectCell(shipped, true)} | ${ratio(shipped)} | ` +
        `${subjectCell(tuned, false)} | ${ratio(tuned)} | ` +
        `${m.target === null ? '' : `≥ ${m.target}×`} | ${verdict} |`,
    );
  }
  return lines.join('\n');
}

export function measuredRow(m: Measured): Row {
  const round = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  return {
    name: m.name,
    result: m.result,
    value: `${round(m.value)} ${m.unit}`,
    target: `≤ ${m.max} ${m.unit}`,
    verdict: m.value <= m.max ? 'pass' : 'FAIL',
  };
}

export function table(rows: Row[], valueHeader = 'ratio / value') {
  const lines = [
    `| scenario | measured | ${valueHeader} | target | verdict |`,
    '|---|---:|---:|---:|---|',
  ];
  for (const r of rows)
    lines.push(`| ${r.name} | ${r.result} | ${r.value} | ${r.target} | ${r.verdict} |`);
  return lines.join('\n');
}

/** Replaces (or appends) the block `key` of docs/PERFORMANCE.md with `section`, formatted. */
export async function writePerformanceDoc(section: string, key: string) {
  const file = path.join(root, 'docs', 'PERFORMANCE.md');
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
  const block = `${start}\n${section}\n${end}`;
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n';
  if (doc.includes(start) && doc.includes(end)) {
    doc = doc.slice(0, doc.indexOf(start)) + block + doc.slice(doc.indexOf(end) + end.length);
  } else {
    doc = `${doc.trimEnd()}\n\n${block}\n`;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  // Formatted as `npm run check` expects (Prettier aligns the tables).
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(doc, { ...options, filepath: file }));
  console.log(`\nwrote ${path.relative(root, file)}`);
}

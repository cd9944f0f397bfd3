// The GitHub files, checked offline (.ci/run's `workflows` stage):
// - every workflow file passes action-validator (@action-validator/cli, from npm: the workflow
//   schema, with `needs`, globs and expressions' places checked);
// - ci.yml runs .ci/run's stages and nothing else: every stage of `bash .ci/run --list` is run by
//   some job, and every `--stage NAME` a job passes is one of them (.ci/run stays the one list);
// - every action is pinned to a version; AWS is reached only through OIDC roles (no access keys),
//   in jobs allowed to ask for an ID token; the production deployment waits for staging and runs
//   in its own GitHub environment (whose required reviewers are the manual approval);
// - dependabot.yml proposes updates for npm, GitHub Actions and Docker.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const workflowsDir = path.join(root, '.github/workflows');
const problems: string[] = [];
let checked = 0;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  steps?: Step[];
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

// ---- every workflow passes the linter ----
const cli = path.join(root, 'node_modules/@action-validator/cli/cli.mjs');
const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));
if (files.length === 0) problems.push('.github/workflows holds no workflow');
const workflows = new Map<string, Workflow>();
for (const file of files) {
  const full = path.join(workflowsDir, file);
  const result = spawnSync(process.execPath, [cli, full], { encoding: 'utf8' });
  checked += 1;
  if (result.status !== 0) {
    problems.push(`${file}: action-validator failed:\n${result.stdout}${result.stderr}`);
  } else {
    console.log(`${file}: action-validator ok`);
  }
  workflows.set(file, YAML.parse(readFileSync(full, 'utf8')) as Workflow);
}

// ---- ci.yml runs exactly .ci/run's stages ----
const list = spawnSync('bash', [path.join(root, '.ci/run'), '--list'], { encoding: 'utf8' });
const stages = list.stdout.split('\n').filter(Boolean);
if (list.status !== 0 || stages.length < 5) problems.push('bash .ci/run --list gave no stages');
const ci = workflows.get('ci.yml');
if (!ci) {
  problems.push('.github/workflows/ci.yml is missing');
} else {
  const ran = new Set<string>();
  for (const [name, job] of Object.entries(ci.jobs)) {
    for (const step of job.steps ?? []) {
      if (!step.run?.includes('.ci/run')) continue;
      for (const m of step.run.matchAll(/--stage\s+(\S+)/g)) {
        if (!stages.includes(m[1]!)) problems.push(`ci.yml ${name}: no stage named ${m[1]}`);
        ran.add(m[1]!);
      }
    }
  }
  for (const stage of stages) {
    if (!ran.has(stage)) problems.push(`ci.yml: no job runs the .ci/run stage ${stage}`);
  }
  checked += 1;
  console.log(`ci.yml: runs ${ran.size} of .ci/run's ${stages.length} stages by name`);
}

// ---- pinned actions, OIDC only, an approval before production ----
for (const [file, workflow] of workflows) {
  const text = readFileSync(path.join(workflowsDir, file), 'utf8');
  if (/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i.test(text)) {
    problems.push(`${file}: AWS access keys; use role-to-assume (OIDC)`);
  }
  for (const [name, job] of Object.entries(workflow.jobs)) {
    const idToken =
      typeof job.permissions === 'object' ? job.permissions['id-token'] === 'write' : false;
    for (const step of job.steps ?? []) {
      if (step.uses && !step.uses.startsWith('./') && !/@[\w.-]+$/.test(step.uses)) {
        problems.push(`${file} ${name}: ${step.uses} is not pinned to a version`);
      }
      if (step.uses?.startsWith('aws-actions/configure-aws-credentials')) {
        if (!step.with?.['role-to-assume']) problems.push(`${file} ${name}: no role-to-assume`);
        if (!idToken) problems.push(`${file} ${name}: OIDC needs permissions id-token: write`);
      }
    }
  }
  checked += 1;
}
const release = workflows.get('release.yml');
if (!release) {
  problems.push('.github/workflows/release.yml is missing');
} else {
  const environment = (job: Job | undefined) =>
    typeof job?.environment === 'string' ? job.environment : job?.environment?.name;
  const needs = (job: Job | undefined) => [job?.needs ?? []].flat();
  const jobs = Object.entries(release.jobs);
  const production = jobs.find(([, j]) => environment(j) === 'production');
  const staging = jobs.find(([, j]) => environment(j) === 'staging');
  if (!staging || !production) {
    problems.push('release.yml: no job deploys in the staging and production environments');
  } else if (!needs(production[1]).includes(staging[0])) {
    problems.push(`release.yml: ${production[0]} does not wait for ${staging[0]}`);
  }
  if (!jobs.some(([, j]) => j.uses === './.github/workflows/ci.yml')) {
    problems.push('release.yml: the CI checks do not run before the release');
  }
  checked += 1;
  console.log('release.yml: OIDC roles, staging before an approved production');
}

// ---- Dependabot ----
const dependabot = YAML.parse(readFileSync(path.join(root, '.github/dependabot.yml'), 'utf8')) as {
  version: number;
  updates: { 'package-ecosystem': string; schedule?: { interval?: string } }[];
};
if (dependabot.version !== 2) problems.push('dependabot.yml: version must be 2');
const ecosystems = dependabot.updates.map((u) => u['package-ecosystem']);
for (const wanted of ['npm', 'github-actions', 'docker']) {
  if (!ecosystems.includes(wanted)) problems.push(`dependabot.yml: no ${wanted} updates`);
}
for (const update of dependabot.updates) {
  if (!update.schedule?.interval) {
    problems.push(`dependabot.yml: ${update['package-ecosystem']} has no schedule`);
  }
}
checked += 1;
console.log(`dependabot.yml: ${ecosystems.join(', ')}`);

for (const p of problems) console.log(`  problem: ${p}`);
console.log(
  problems.length
    ? `GitHub files: ${problems.length} problem(s)`
    : `GitHub files: ${checked} checks passed`,
);
process.exitCode = problems.length ? 1 : 0;

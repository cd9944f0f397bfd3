// Keeps the deployment files consistent with the code, since no Docker engine runs in CI:
// - every variable compose.yaml or deploy/*.env.example gives the app is one config.ts knows;
// - every command the image or compose runs exists and matches the package.json script;
// - the image's Node (FROM node:<version>) is the `node` devDependency the tests run on;
// - no production source (server/src, shared; tests excepted) imports a devDependency, which
//   the image (npm ci --omit=dev) would not have.
// Run by .ci/check-deploy.sh (which also runs `nginx -t` on deploy/nginx.conf).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CONFIG_VARIABLES } from '../server/src/config.ts';

const root = path.resolve(import.meta.dirname, '..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
const problems: string[] = [];

// ---- variables ----
const known = new Set<string>(CONFIG_VARIABLES);

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[] | string;
  environment?: Record<string, unknown> | string[];
}
const compose = YAML.parse(read('compose.yaml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const appServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
if (appServices.length < 4) problems.push('compose.yaml: expected app-1, app-2, worker, migrate');
for (const [name, service] of appServices) {
  const env = Array.isArray(service.environment)
    ? service.environment.map((e) => e.split('=')[0]!)
    : Object.keys(service.environment ?? {});
  for (const v of env)
    if (!known.has(v)) problems.push(`compose.yaml ${name}: ${v} is not a config.ts variable`);
}
for (const f of ['deploy/app.env.example']) {
  for (const m of read(f).matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm))
    if (!known.has(m[1]!)) problems.push(`${f}: ${m[1]} is not a config.ts variable`);
}

// ---- commands ----
const pkg = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const dockerCmd = /^CMD \["node", "([^"]+)"\]/m.exec(read('Dockerfile'))?.[1];
const commands: [string, string | undefined, string][] = [
  ['Dockerfile CMD', dockerCmd, 'server/src/main.ts'],
  ['compose worker', [compose.services.worker?.command].flat()[1], pkg.scripts.worker ?? ''],
  [
    'compose migrate',
    [compose.services.migrate?.command].flat()[1],
    pkg.scripts['db:migrate'] ?? '',
  ],
];
for (const [what, file, expected] of commands) {
  if (!file) problems.push(`${what}: no command found`);
  else if (!existsSync(path.join(root, file))) problems.push(`${what}: ${file} does not exist`);
  else if (!expected.includes(file)) problems.push(`${what}: ${file} differs from "${expected}"`);
}

// ---- the image's Node is the one the tests run on ----
const nodeImages = [
  ...read('Dockerfile').matchAll(/^FROM node:(\S+?)(?:-[a-z]\S*)?(?:\s|$)/gm),
].map((m) => m[1]!);
if (nodeImages.length === 0) problems.push('Dockerfile: no FROM node:<version> line');
for (const version of nodeImages) {
  if (version !== pkg.devDependencies.node) {
    problems.push(
      `Dockerfile: FROM node:${version} differs from the node devDependency ${pkg.devDependencies.node}`,
    );
  }
}

// ---- production imports ----
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.includes(`${path.sep}test${path.sep}`);
function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const f = path.join(dir, e);
    if (statSync(f).isDirectory()) yield* sources(f);
    else if (/\.tsx?$/.test(e) && !isTest(f)) yield f;
  }
}
const builtin = (s: string) => s.startsWith('node:');
for (const dir of ['server/src', 'shared']) {
  for (const file of sources(path.join(root, dir))) {
    const text = readFileSync(file, 'utf8');
    const imports = /(?:^|\s)(import|export)(\s+type)?[^'"`;]*?from\s+['"]([^'"]+)['"]/g;
    for (const m of text.matchAll(imports)) {
      const spec = m[3]!;
      if (m[2]) continue; // type-only: erased at run time
      if (spec.startsWith('.') || builtin(spec)) continue;
      const name = spec.startsWith('@')
        ? spec.split('/').slice(0, 2).join('/')
        : spec.split('/')[0]!;
      if (name in pkg.dependencies) continue;
      const where = path.relative(root, file);
      problems.push(
        name in pkg.devDependencies
          ? `${where}: imports devDependency ${name}, absent from the production image`
          : `${where}: imports ${name}, which package.json does not list`,
      );
    }
  }
}

for (const p of problems) console.log(`  problem: ${p}`);
console.log(
  problems.length
    ? `deployment files: ${problems.length} problem(s)`
    : 'deployment files: variables, commands, Node version and production imports are consistent',
);
process.exitCode = problems.length ? 1 : 0;

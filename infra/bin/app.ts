// `npm run infra:synth`: synthesises every stack's CloudFormation template into infra/cdk.out,
// offline (no AWS account, no context lookups), and prints a line per stack; an error annotation
// fails it. The cdk CLI runs this same file (infra/cdk.json) for `cdk deploy`, passing the output
// directory and context (`-c imageTag=v1.2.3`) through its environment.
import path from 'node:path';
import { buildInfraApp } from '../lib/infra-app.ts';

const outdir = process.env.CDK_OUTDIR ?? path.join(import.meta.dirname, '../cdk.out');
const assembly = buildInfraApp({ outdir }).synth();
let errors = 0;
for (const stack of assembly.stacks) {
  const resources = Object.keys(
    (stack.template as { Resources?: Record<string, unknown> }).Resources ?? {},
  ).length;
  console.log(
    `${stack.stackName}: ${resources} resources → ${path.relative(process.cwd(), stack.templateFullPath)}`,
  );
  for (const message of stack.messages) {
    console.log(`  ${message.level}: ${message.id}: ${String(message.entry.data)}`);
    if (message.level === 'error') errors += 1;
  }
}
if (assembly.manifest.missing?.length) {
  console.log(`context lookups needed: ${assembly.manifest.missing.map((m) => m.key).join(', ')}`);
  errors += 1;
}
process.exitCode = errors > 0 ? 1 : 0;

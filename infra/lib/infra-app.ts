// The CDK app: the shared stack (ECR, GitHub OIDC roles) and one stack per deployment.
import { App, type AppProps } from 'aws-cdk-lib';
import { AppStack } from './app-stack.ts';
import { DEPLOYMENTS } from './environments.ts';
import { SharedStack } from './shared-stack.ts';

export const SHARED_STACK = 'PitchASeat-Shared';
export const stackName = (deployment: string) => `PitchASeat-${deployment}`;

export interface InfraAppOptions extends AppProps {
  /** The image tag to run; else the `imageTag` context (`cdk deploy -c imageTag=v1.2.3`). */
  imageTag?: string;
}

export function buildInfraApp(options: InfraAppOptions = {}): App {
  const { imageTag: given, ...appProps } = options;
  const app = new App({
    ...appProps,
    // The built-in template validation (resource properties against CloudFormation's own
    // schemas: an RDS engine version that does not exist, say) fails the synthesis instead of
    // printing a warning. It is the slow part of a synthesis; the tests switch it off
    // (CDK_VALIDATION=false) and `npm run infra:synth` keeps it.
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true, ...appProps.context },
  });
  const imageTag = given ?? (app.node.tryGetContext('imageTag') as string | undefined) ?? 'latest';
  if (!/^[\w][\w.-]{0,127}$/.test(imageTag)) throw new Error(`infra: bad image tag "${imageTag}"`);
  const description = 'Pitch-A-Seat (infra/, AWS CDK)';
  new SharedStack(app, SHARED_STACK, {
    deployments: DEPLOYMENTS,
    githubOidcProviderArn: app.node.tryGetContext('githubOidcProviderArn') as string | undefined,
    description: `${description}: ECR repository and GitHub OIDC roles`,
  });
  for (const deployment of DEPLOYMENTS) {
    new AppStack(app, stackName(deployment.name), {
      deployment,
      imageTag,
      description: `${description}: ${deployment.name}`,
      terminationProtection: deployment.name === 'production',
    });
  }
  return app;
}

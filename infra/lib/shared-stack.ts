// What the deployments share, deployed once per account before them: the ECR repository the
// release pushes to, and GitHub Actions' way in without long-lived keys (OpenID Connect): one role
// that may push images (release tags only) and one that may deploy (the staging and production
// GitHub environments only, which carry the required reviewers).
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ECR_REPOSITORY, GITHUB_REPOSITORY, type DeploymentSettings } from './environments.ts';

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

export interface SharedStackProps extends StackProps {
  deployments: DeploymentSettings[];
  /** An existing GitHub OIDC provider of the account (an account holds one per issuer). */
  githubOidcProviderArn?: string;
}

export class SharedStack extends Stack {
  constructor(scope: Construct, id: string, props: SharedStackProps) {
    super(scope, id, props);
    const repository = new ecr.Repository(this, 'Images', {
      repositoryName: ECR_REPOSITORY,
      imageScanOnPush: true,
      // A release tag names one image for good: staging and production run the same bytes.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      lifecycleRules: [{ description: 'keep the last 100 images', maxImageCount: 100 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const providerArn =
      props.githubOidcProviderArn ??
      new iam.OidcProviderNative(this, 'GitHub', {
        url: `https://${GITHUB_ISSUER}`,
        clientIds: ['sts.amazonaws.com'],
      }).oidcProviderArn;
    const githubPrincipal = (subjects: string[]) =>
      new iam.WebIdentityPrincipal(providerArn, {
        StringEquals: { [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com' },
        StringLike: { [`${GITHUB_ISSUER}:sub`]: subjects },
      });

    const push = new iam.Role(this, 'GitHubPush', {
      roleName: 'pitch-a-seat-github-push',
      description: 'GitHub Actions (release tags): push the image to ECR',
      assumedBy: githubPrincipal([`repo:${GITHUB_REPOSITORY}:ref:refs/tags/v*`]),
      maxSessionDuration: Duration.hours(1),
    });
    repository.grantPullPush(push);

    const deploy = new iam.Role(this, 'GitHubDeploy', {
      roleName: 'pitch-a-seat-github-deploy',
      description: 'GitHub Actions (deployment environments): cdk deploy through the CDK roles',
      assumedBy: githubPrincipal(
        props.deployments.map((d) => `repo:${GITHUB_REPOSITORY}:environment:${d.name}`),
      ),
      maxSessionDuration: Duration.hours(2),
    });
    // `cdk deploy` acts through the roles `cdk bootstrap` made; this role only assumes them.
    deploy.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: [`arn:${this.partition}:iam::${this.account}:role/cdk-hnb659fds-*`],
      }),
    );
    repository.grantPull(deploy);

    new CfnOutput(this, 'RepositoryUri', { value: repository.repositoryUri });
    new CfnOutput(this, 'PushRoleArn', {
      value: push.roleArn,
      description: 'GitHub variable AWS_PUSH_ROLE_ARN',
    });
    new CfnOutput(this, 'DeployRoleArn', {
      value: deploy.roleArn,
      description: 'GitHub variable AWS_DEPLOY_ROLE_ARN',
    });
  }
}

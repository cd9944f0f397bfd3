// `npm run db:migrate` as a one-off Fargate task at every deployment that changes the image, before
// the services move to it: a custom resource whose handler (infra/migration-runner/index.mjs)
// starts the task and waits for it to exit 0. The services are made to depend on it.
import path from 'node:path';
import { CustomResource, Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface MigrationProps {
  cluster: ecs.ICluster;
  taskDefinition: ecs.FargateTaskDefinition;
  containerName: string;
  subnets: ec2.ISubnet[];
  securityGroup: ec2.ISecurityGroup;
  logGroup: logs.ILogGroup;
}

export class Migration extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: MigrationProps) {
    super(scope, id);
    const code = lambda.Code.fromAsset(path.join(import.meta.dirname, '../migration-runner'));
    const handler = (name: string, entry: string) =>
      new lambda.Function(this, name, {
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        code,
        handler: `index.${entry}`,
        timeout: Duration.seconds(30),
        logGroup: new logs.LogGroup(this, `${name}Logs`, {
          retention: logs.RetentionDays.ONE_MONTH,
        }),
      });
    const onEvent = handler('Start', 'onEvent');
    const isComplete = handler('Wait', 'isComplete');

    onEvent.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [props.taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      }),
    );
    const roles = [props.taskDefinition.taskRole, props.taskDefinition.obtainExecutionRole()];
    onEvent.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: roles.map((r) => r.roleArn),
      }),
    );
    isComplete.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ecs:DescribeTasks'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      }),
    );

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: Duration.seconds(15),
      totalTimeout: Duration.minutes(30),
    });
    this.resource = new CustomResource(this, 'Run', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::DatabaseMigration',
      properties: {
        Cluster: props.cluster.clusterArn,
        // A new image is a new task definition revision, hence a new ARN, hence a new run.
        TaskDefinition: props.taskDefinition.taskDefinitionArn,
        ContainerName: props.containerName,
        Subnets: props.subnets.map((s) => s.subnetId),
        SecurityGroups: [props.securityGroup.securityGroupId],
        LogGroup: props.logGroup.logGroupName,
      },
    });
  }
}

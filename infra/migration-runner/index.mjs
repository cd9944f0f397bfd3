// The deploy-time database migration, as a CloudFormation custom resource (infra/lib/migration.ts).
// onEvent (Create/Update) starts the one-off `migrate` task on Fargate: the release's image running
// `node server/src/cli/migrate.ts` (= npm run db:migrate). isComplete polls it until it stops and
// fails the deployment unless its container exited 0. The ECS services depend on this resource,
// so CloudFormation moves them to the new image only after the migration succeeded; a failed
// migration rolls the stack back with the services untouched. Delete does nothing.
// Runs on Lambda's Node.js runtime, whose AWS SDK v3 provides @aws-sdk/client-ecs.

/**
 * @param {(command: 'RunTask' | 'DescribeTasks', input: Record<string, unknown>) => Promise<any>} ecs
 */
export function createHandlers(ecs) {
  return {
    async onEvent(event) {
      if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
      const p = event.ResourceProperties;
      const result = await ecs('RunTask', {
        cluster: p.Cluster,
        taskDefinition: p.TaskDefinition,
        launchType: 'FARGATE',
        count: 1,
        startedBy: 'cfn-migration',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: p.Subnets,
            securityGroups: p.SecurityGroups,
            assignPublicIp: 'DISABLED',
          },
        },
      });
      const task = result.tasks?.[0];
      if (!task?.taskArn) {
        const why = (result.failures ?? []).map((f) => `${f.arn ?? ''} ${f.reason}`).join('; ');
        throw new Error(`the migration task did not start: ${why || 'no task returned'}`);
      }
      console.log(`migration task started: ${task.taskArn} (${p.TaskDefinition})`);
      // The task's ARN names this run; a later run (a new image) gets a new one.
      return { PhysicalResourceId: task.taskArn };
    },

    async isComplete(event) {
      if (event.RequestType === 'Delete') return { IsComplete: true };
      const p = event.ResourceProperties;
      const taskArn = event.PhysicalResourceId;
      const result = await ecs('DescribeTasks', { cluster: p.Cluster, tasks: [taskArn] });
      const task = result.tasks?.[0];
      if (!task) throw new Error(`the migration task ${taskArn} cannot be found`);
      if (task.lastStatus !== 'STOPPED') {
        console.log(`migration task ${taskArn}: ${task.lastStatus}`);
        return { IsComplete: false };
      }
      const container = (task.containers ?? []).find((c) => c.name === p.ContainerName);
      const exitCode = container?.exitCode;
      if (exitCode === 0) {
        console.log(`migration task ${taskArn} exited 0`);
        return { IsComplete: true, Data: { TaskArn: taskArn } };
      }
      throw new Error(
        `the migration failed: task ${taskArn} stopped (${task.stoppedReason ?? 'no reason given'}),` +
          ` container ${p.ContainerName} exit code ${exitCode ?? 'none'}` +
          `${container?.reason ? ` (${container.reason})` : ''}; see the log group ${p.LogGroup}`,
      );
    },
  };
}

let client;
async function callEcs(command, input) {
  const sdk = await import('@aws-sdk/client-ecs');
  client ??= new sdk.ECSClient({});
  return client.send(new sdk[`${command}Command`](input));
}

const handlers = createHandlers(callEcs);
export const onEvent = handlers.onEvent;
export const isComplete = handlers.isComplete;

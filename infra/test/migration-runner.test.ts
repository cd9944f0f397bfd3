// The deploy-time migration's handler, against a recorded stand-in for the ECS API (the calls it
// makes and the answers ECS gives, in ECS's own shapes).
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../migration-runner/index.mjs';

interface Call {
  command: string;
  input: Record<string, unknown>;
}

function fakeEcs(answers: Record<string, unknown>[]) {
  const calls: Call[] = [];
  const ecs = async (command: string, input: Record<string, unknown>) => {
    calls.push({ command, input });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected ${command}`);
    return answer;
  };
  return { calls, handlers: createHandlers(ecs) };
}

const properties = {
  Cluster: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/pas',
  TaskDefinition: 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/pas-migrate:7',
  ContainerName: 'migrate',
  Subnets: ['subnet-a', 'subnet-b'],
  SecurityGroups: ['sg-migrate'],
  LogGroup: '/pitch-a-seat/staging/migrate',
};
const taskArn = 'arn:aws:ecs:ap-northeast-1:123456789012:task/pas/0123456789abcdef';
const stopped = (exitCode: number | undefined, reason = 'Essential container in task exited') => ({
  tasks: [
    {
      taskArn,
      lastStatus: 'STOPPED',
      stoppedReason: reason,
      containers: [{ name: 'migrate', exitCode }],
    },
  ],
});

describe('migration runner', () => {
  it('when a deployment creates or updates it, then it runs the migrate task on Fargate in the private subnets', async () => {
    const { calls, handlers } = fakeEcs([{ tasks: [{ taskArn }], failures: [] }]);
    const result = await handlers.onEvent({
      RequestType: 'Update',
      ResourceProperties: properties,
    });
    expect(result).toEqual({ PhysicalResourceId: taskArn });
    expect(calls).toEqual([
      {
        command: 'RunTask',
        input: expect.objectContaining({
          cluster: properties.Cluster,
          taskDefinition: properties.TaskDefinition,
          launchType: 'FARGATE',
          count: 1,
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: ['subnet-a', 'subnet-b'],
              securityGroups: ['sg-migrate'],
              assignPublicIp: 'DISABLED',
            },
          },
        }),
      },
    ]);
  });

  it('when ECS cannot start the task, then the deployment fails with ECS reason', async () => {
    const { handlers } = fakeEcs([
      { tasks: [], failures: [{ arn: properties.TaskDefinition, reason: 'RESOURCE:ENI' }] },
    ]);
    await expect(
      handlers.onEvent({ RequestType: 'Create', ResourceProperties: properties }),
    ).rejects.toThrow(/did not start: .*RESOURCE:ENI/);
  });

  it('when the task is still running, then it is not complete', async () => {
    const { handlers } = fakeEcs([{ tasks: [{ taskArn, lastStatus: 'RUNNING', containers: [] }] }]);
    const result = await handlers.isComplete({
      RequestType: 'Create',
      PhysicalResourceId: taskArn,
      ResourceProperties: properties,
    });
    expect(result).toEqual({ IsComplete: false });
  });

  it('when the migrate container exited 0, then the deployment goes on', async () => {
    const { calls, handlers } = fakeEcs([stopped(0)]);
    const result = await handlers.isComplete({
      RequestType: 'Update',
      PhysicalResourceId: taskArn,
      ResourceProperties: properties,
    });
    expect(result).toEqual({ IsComplete: true, Data: { TaskArn: taskArn } });
    expect(calls).toEqual([
      { command: 'DescribeTasks', input: { cluster: properties.Cluster, tasks: [taskArn] } },
    ]);
  });

  it('when the migrate container exited non-zero or never ran, then the deployment fails naming the log group', async () => {
    for (const [answer, pattern] of [
      [stopped(1), /exit code 1.*\/pitch-a-seat\/staging\/migrate/],
      [
        stopped(undefined, 'CannotPullContainerError: image not found'),
        /CannotPullContainer.*exit code none/,
      ],
    ] as const) {
      const { handlers } = fakeEcs([answer]);
      await expect(
        handlers.isComplete({
          RequestType: 'Update',
          PhysicalResourceId: taskArn,
          ResourceProperties: properties,
        }),
      ).rejects.toThrow(pattern);
    }
  });

  it('when the stack deletes it, then nothing runs', async () => {
    const { calls, handlers } = fakeEcs([]);
    expect(
      await handlers.onEvent({
        RequestType: 'Delete',
        PhysicalResourceId: taskArn,
        ResourceProperties: properties,
      }),
    ).toEqual({ PhysicalResourceId: taskArn });
    expect(
      await handlers.isComplete({
        RequestType: 'Delete',
        PhysicalResourceId: taskArn,
        ResourceProperties: properties,
      }),
    ).toEqual({ IsComplete: true });
    expect(calls).toEqual([]);
  });
});

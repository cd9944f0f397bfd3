// Types of index.mjs (plain JavaScript, as Lambda runs it) for infra/test.
export interface MigrationEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: {
    Cluster: string;
    TaskDefinition: string;
    ContainerName: string;
    Subnets: string[];
    SecurityGroups: string[];
    LogGroup: string;
  };
}
export type EcsCall = (
  command: 'RunTask' | 'DescribeTasks',
  input: Record<string, unknown>,
) => Promise<unknown>;
export function createHandlers(ecs: EcsCall): {
  onEvent(event: MigrationEvent): Promise<{ PhysicalResourceId: string }>;
  isComplete(
    event: MigrationEvent,
  ): Promise<{ IsComplete: boolean; Data?: Record<string, string> }>;
};
export const onEvent: ReturnType<typeof createHandlers>['onEvent'];
export const isComplete: ReturnType<typeof createHandlers>['isComplete'];

// Alarms and a dashboard for one deployment. The alarms go to an SNS topic (and the deployment's
// alarm address, if set): 5xx rate, p99 latency, dead jobs and a stuck job queue (from the app's
// /metrics, through the CloudWatch agent beside each app task), RDS CPU and free storage.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { DeploymentSettings } from './environments.ts';

/** CloudWatch namespace of the metrics the agent takes from /metrics: `<prefix>/<deployment>`. */
export const METRICS_NAMESPACE_PREFIX = 'PitchASeat';

export interface MonitoringProps {
  deployment: DeploymentSettings;
  namespace: string;
  alb: elbv2.ApplicationLoadBalancer;
  targetGroup: elbv2.ApplicationTargetGroup;
  appService: ecs.FargateService;
  workerService: ecs.FargateService;
  database: rds.DatabaseInstance;
  /** The primary node of the Redis replication group (`<group id>-001`). */
  redisMemberId: string;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const d = props.deployment;
    const period = Duration.minutes(5);
    this.topic = new sns.Topic(this, 'Alarms', { displayName: `Pitch-A-Seat ${d.name} alarms` });
    if (d.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(d.alarmEmail));
    const notify = new actions.SnsAction(this.topic);
    const alarm = (
      name: string,
      props: cloudwatch.CreateAlarmOptions,
      metric: cloudwatch.Metric | cloudwatch.MathExpression,
    ) => {
      const a = metric.createAlarm(this, name, {
        ...props,
        alarmName: `pitch-a-seat-${d.name}-${name.replace(/[A-Z]/g, (c, i) => `${i ? '-' : ''}${c.toLowerCase()}`)}`,
      });
      a.addAlarmAction(notify);
      a.addOkAction(notify);
      return a;
    };

    // ---- HTTP: answers of 5xx (the app's and the load balancer's own) per 100 requests ----
    const requests = props.alb.metrics.requestCount({ period, statistic: 'Sum' });
    const target5xx = props.targetGroup.metrics.httpCodeTarget(
      elbv2.HttpCodeTarget.TARGET_5XX_COUNT,
      { period, statistic: 'Sum' },
    );
    const elb5xx = props.alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
      period,
      statistic: 'Sum',
    });
    const errorRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * (FILL(t5xx, 0) + FILL(e5xx, 0)) / requests, 0)',
      usingMetrics: { requests, t5xx: target5xx, e5xx: elb5xx },
      label: '5xx per 100 requests',
      period,
    });
    alarm(
      'Http5xxRate',
      {
        alarmDescription: 'More than 1 in 100 requests answered 5xx for 10 minutes',
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      errorRate,
    );
    const p99 = props.targetGroup.metrics.targetResponseTime({ period, statistic: 'p99' });
    alarm(
      'LatencyP99',
      {
        alarmDescription: 'p99 time to first byte of the app above 1.5 s for 15 minutes',
        threshold: 1.5,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      p99,
    );

    // ---- jobs, from /metrics (jobs_queue_depth{status}, jobs_oldest_due_age_seconds) ----
    const jobs = (status: string) =>
      new cloudwatch.Metric({
        namespace: props.namespace,
        metricName: 'jobs_queue_depth',
        dimensionsMap: { service: 'pitch-a-seat', status },
        // Every app task reports the same table-wide count.
        statistic: 'Maximum',
        period,
        label: `jobs ${status}`,
      });
    alarm(
      'DeadJobs',
      {
        alarmDescription:
          'A job failed its last attempt (status dead): see the worker log and the jobs table',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      },
      jobs('dead'),
    );
    const oldestDue = new cloudwatch.Metric({
      namespace: props.namespace,
      metricName: 'jobs_oldest_due_age_seconds',
      dimensionsMap: { service: 'pitch-a-seat' },
      statistic: 'Maximum',
      period,
      label: 'oldest due job (s)',
    });
    alarm(
      'JobQueueStuck',
      {
        alarmDescription: 'A due job has waited over 10 minutes: are the workers running?',
        threshold: 600,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      },
      oldestDue,
    );

    // ---- database ----
    const dbCpu = props.database.metricCPUUtilization({ period });
    alarm(
      'DatabaseCpu',
      {
        alarmDescription: 'RDS CPU above 80 % for 15 minutes',
        threshold: 80,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      },
      dbCpu,
    );
    const dbFreeStorage = props.database.metricFreeStorageSpace({ period, statistic: 'Minimum' });
    alarm(
      'DatabaseStorage',
      {
        alarmDescription: 'RDS free storage below 10 % of the allocated size',
        threshold: d.databaseStorageGiB * 0.1 * 1024 ** 3,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      },
      dbFreeStorage,
    );

    // ---- dashboard ----
    const redisMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { CacheClusterId: props.redisMemberId },
        period,
        statistic: 'Average',
      });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `pitch-a-seat-${d.name}`,
      defaultInterval: Duration.hours(6),
    });
    dashboard.addWidgets(
      graph('Requests and 5xx', [requests], [target5xx, elb5xx]),
      graph('Response time (s)', [
        props.targetGroup.metrics.targetResponseTime({ period, statistic: 'p50' }),
        p99,
      ]),
      graph('5xx per 100 requests', [errorRate]),
    );
    dashboard.addWidgets(
      graph(
        'App tasks',
        [props.appService.metricCpuUtilization({ period })],
        [props.appService.metricMemoryUtilization({ period })],
      ),
      graph(
        'Worker tasks',
        [props.workerService.metricCpuUtilization({ period })],
        [props.workerService.metricMemoryUtilization({ period })],
      ),
      graph('Jobs', [jobs('pending'), jobs('running'), jobs('dead')], [oldestDue]),
    );
    dashboard.addWidgets(
      graph(
        'Database CPU and connections',
        [dbCpu],
        [props.database.metricDatabaseConnections({ period })],
      ),
      graph('Database free storage (bytes)', [dbFreeStorage]),
      graph(
        'Redis CPU and memory (%)',
        [redisMetric('EngineCPUUtilization')],
        [redisMetric('DatabaseMemoryUsagePercentage')],
      ),
    );
  }
}

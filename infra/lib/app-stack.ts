// One deployment of Pitch-A-Seat (staging or production) on AWS, the production topology of
// deploy/README.md: an Application Load Balancer (HTTPS, ACM) in front of N app tasks with
// JOBS=off and a worker service on ECS Fargate; RDS for MySQL 8.4; ElastiCache for Redis 7; photos
// in a private S3 bucket behind CloudFront (origin access control); secrets from Secrets Manager;
// logs, alarms and a dashboard in CloudWatch. Every image change runs `npm run db:migrate` as a
// one-off task before the services move (migration.ts).
//
// The stack is environment-agnostic (no account or region, no context lookups), so
// `npm run infra:synth` works offline; the region comes from the deploying credentials.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { MYSQL_CONNECTION_LIMIT } from '../../server/src/platform/db/database.ts';
import { appEnvironment, appSecretKeys } from './app-environment.ts';
import { ECR_REPOSITORY, type DeploymentSettings } from './environments.ts';
import { Migration } from './migration.ts';
import { Monitoring, METRICS_NAMESPACE_PREFIX } from './monitoring.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const APP_PORT = 3000;
const DATABASE_NAME = 'pitchaseat';
/** Characters the generated database password leaves out, so it can stand in DATABASE_URL as is. */
const URL_UNSAFE = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\=,^';
/** The image's HEALTHCHECK (Dockerfile), which ECS does not read from the image. */
const HEALTH_PROBE =
  "fetch('http://127.0.0.1:3000/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))";
const CLOUDWATCH_AGENT_IMAGE = 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest';

/** A package.json script (`node <file>`) as a container command, so the two cannot differ. */
export function scriptCommand(script: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const line = pkg.scripts[script];
  if (!line || !/^node [\w./-]+$/.test(line)) {
    throw new Error(`infra: package.json script "${script}" is not "node <file>": ${line}`);
  }
  return line.split(' ');
}

export interface AppStackProps extends StackProps {
  deployment: DeploymentSettings;
  /** The image tag the release pushed to ECR (`-c imageTag=v1.2.3`). */
  imageTag: string;
}

export class AppStack extends Stack {
  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const d = props.deployment;
    const production = d.name === 'production';

    // ---- network: public subnets (ALB, NAT), private (tasks), isolated (database, cache) ----
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways: d.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    // Photo uploads and reads reach S3 without the NAT gateways.
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const appSubnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });

    const securityGroup = (name: string, description: string) =>
      new ec2.SecurityGroup(this, name, { vpc, description, allowAllOutbound: true });
    const albSg = securityGroup('AlbSg', 'Load balancer: HTTPS and HTTP from anywhere');
    const appSg = securityGroup('AppSg', 'App tasks: port 3000 from the load balancer');
    const workerSg = securityGroup('WorkerSg', 'Worker tasks: no inbound');
    const migrateSg = securityGroup('MigrateSg', 'Migration task: no inbound');
    const databaseSg = new ec2.SecurityGroup(this, 'DatabaseSg', {
      vpc,
      description: 'MySQL: 3306 from the app, worker and migration tasks',
      allowAllOutbound: false,
    });
    const cacheSg = new ec2.SecurityGroup(this, 'CacheSg', {
      vpc,
      description: 'Redis: 6379 from the app and worker tasks',
      allowAllOutbound: false,
    });
    for (const [sg, who] of [
      [appSg, 'app'],
      [workerSg, 'worker'],
      [migrateSg, 'migration'],
    ] as const) {
      databaseSg.addIngressRule(sg, ec2.Port.tcp(3306), `MySQL from the ${who} tasks`);
    }
    for (const [sg, who] of [
      [appSg, 'app'],
      [workerSg, 'worker'],
    ] as const) {
      cacheSg.addIngressRule(sg, ec2.Port.tcp(6379), `Redis from the ${who} tasks`);
    }

    // ---- database: RDS for MySQL 8.4, encrypted, private, backed up ----
    // Pinned: the template says which version runs; move it forward in a release (no downgrades).
    const engine = rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_4_10 });
    const processes = d.appTasks.max + d.workerTasks.max + 1; // + the migration task
    const parameterGroup = new rds.ParameterGroup(this, 'DatabaseParameters', {
      engine,
      description: 'Pitch-A-Seat: utf8mb4 with binary collation, UTC, TLS only',
      parameters: {
        // The migrations create every table utf8mb4/utf8mb4_bin; the server's defaults agree.
        character_set_server: 'utf8mb4',
        collation_server: 'utf8mb4_bin',
        time_zone: 'UTC',
        // The money path locks before it reads what it counts; it is written for this level.
        transaction_isolation: 'REPEATABLE-READ',
        // MariaDB 10.11's strict default, which the test suite runs on (no ONLY_FULL_GROUP_BY).
        sql_mode: 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
        // DATABASE_URL connects with TLS (?ssl=Amazon RDS); nothing may connect without it.
        require_secure_transport: '1',
        // Every process's pool at its limit, plus room for an operator and monitoring.
        max_connections: String(processes * MYSQL_CONNECTION_LIMIT + 20),
        slow_query_log: '1',
        long_query_time: '0.5',
      },
    });
    const database = new rds.DatabaseInstance(this, 'Database', {
      engine,
      instanceType: new ec2.InstanceType(d.databaseInstanceType),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [databaseSg],
      credentials: rds.Credentials.fromGeneratedSecret('pitchaseat', {
        secretName: `pitch-a-seat/${d.name}/database`,
        excludeCharacters: URL_UNSAFE,
      }),
      databaseName: DATABASE_NAME,
      parameterGroup,
      multiAz: d.multiAz,
      publiclyAccessible: false,
      storageEncrypted: true,
      storageType: rds.StorageType.GP3,
      allocatedStorage: d.databaseStorageGiB,
      maxAllocatedStorage: d.databaseMaxStorageGiB,
      backupRetention: Duration.days(d.backupRetentionDays),
      preferredBackupWindow: '18:00-19:00', // 02:00-03:00 in Taipei
      preferredMaintenanceWindow: 'mon:19:30-mon:20:30',
      autoMinorVersionUpgrade: false,
      deletionProtection: production,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: ['error', 'slowquery'],
      enablePerformanceInsights: !d.databaseInstanceType.startsWith('t'),
    });
    const databaseSecret = database.secret!;
    // DATABASE_URL, assembled by CloudFormation from the generated credentials (dynamic references:
    // the password never appears in the template). A password rotation must update it too.
    const databaseUrl = new secretsmanager.Secret(this, 'DatabaseUrl', {
      secretName: `pitch-a-seat/${d.name}/database-url`,
      description: 'DATABASE_URL of the app, worker and migration tasks',
      secretStringValue: SecretValue.unsafePlainText(
        Fn.join('', [
          'mysql://',
          databaseSecret.secretValueFromJson('username').unsafeUnwrap(),
          ':',
          databaseSecret.secretValueFromJson('password').unsafeUnwrap(),
          '@',
          database.dbInstanceEndpointAddress,
          ':',
          database.dbInstanceEndpointPort,
          `/${DATABASE_NAME}?ssl=Amazon%20RDS`,
        ]),
      ),
    });

    // ---- cache: ElastiCache for Redis 7, encrypted at rest and in transit ----
    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'Pitch-A-Seat Redis',
      subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId),
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupId: `pas-${d.name}`,
      replicationGroupDescription: 'Pitch-A-Seat cache, rate limits and live-notification fan-out',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: d.cacheNodeType,
      numCacheClusters: d.multiAz ? 2 : 1,
      automaticFailoverEnabled: d.multiAz,
      multiAzEnabled: d.multiAz,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      cacheSubnetGroupName: cacheSubnets.ref,
      securityGroupIds: [cacheSg.securityGroupId],
      autoMinorVersionUpgrade: true,
      preferredMaintenanceWindow: 'mon:20:30-mon:21:30',
    });

    // ---- photos: private, encrypted bucket behind CloudFront (origin access control) ----
    const photos = new s3.Bucket(this, 'Photos', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const photosOrigin = origins.S3BucketOrigin.withOriginAccessControl(photos);
    // Order photos (handover proof, dispute evidence, conversation) live under `private/` in the
    // same bucket and are served only by the app's authorised routes: CloudFront answers 404 for
    // them before asking S3, whoever knows a key.
    const refusePrivate = new cloudfront.Function(this, 'PhotosRefusePrivate', {
      comment: 'private/ objects are served by the app only',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        "function handler() { return { statusCode: 404, statusDescription: 'Not Found' }; }",
      ),
    });
    const photosCdn = new cloudfront.Distribution(this, 'PhotosCdn', {
      comment: `Pitch-A-Seat ${d.name} listing photos`,
      defaultBehavior: {
        origin: photosOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
      },
      additionalBehaviors: {
        'private/*': {
          origin: photosOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          functionAssociations: [
            { function: refusePrivate, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
          ],
        },
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });

    // ---- the containers' configuration ----
    const environment = appEnvironment({
      deployment: d,
      redisUrl: `rediss://${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`,
      bucketName: photos.bucketName,
      region: this.region,
      publicAssetUrl: `https://${photosCdn.distributionDomainName}`,
      trustProxy: vpc.vpcCidrBlock,
    });
    const appSecret = secretsmanager.Secret.fromSecretCompleteArn(
      this,
      'AppSecret',
      d.appSecretArn,
    );
    const secrets: Record<string, ecs.Secret> = {
      DATABASE_URL: ecs.Secret.fromSecretsManager(databaseUrl),
    };
    for (const key of appSecretKeys()) secrets[key] = ecs.Secret.fromSecretsManager(appSecret, key);

    const image = ecs.ContainerImage.fromEcrRepository(
      ecr.Repository.fromRepositoryName(this, 'Images', ECR_REPOSITORY),
      props.imageTag,
    );
    const logName = (name: string) => `/pitch-a-seat/${d.name}/${name}`;
    const logGroup = (name: string) =>
      new logs.LogGroup(this, `${name}Logs`, {
        logGroupName: logName(name.toLowerCase()),
        retention: d.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
    const appLogs = logGroup('App');
    const workerLogs = logGroup('Worker');
    const migrateLogs = logGroup('Migrate');
    logGroup('Metrics'); // the agent's embedded-metric-format records
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const taskDefinition = (name: string, size: { cpu: number; memoryMiB: number }) =>
      new ecs.FargateTaskDefinition(this, `${name}Task`, {
        cpu: size.cpu,
        memoryLimitMiB: size.memoryMiB,
        runtimePlatform: {
          cpuArchitecture: ecs.CpuArchitecture.X86_64,
          operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        },
      });

    // App tasks: the API and the web app; health = process alive, readiness = /readyz (ALB).
    const appTask = taskDefinition('App', d.appTaskSize);
    photos.grantReadWrite(appTask.taskRole);
    appTask.addContainer('app', {
      image,
      environment,
      secrets,
      portMappings: [{ containerPort: APP_PORT, name: 'http' }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logGroup: appLogs }),
      healthCheck: {
        command: ['CMD', 'node', '-e', HEALTH_PROBE],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // SIGTERM: /readyz turns 503, the ALB stops sending, requests and streams drain.
      stopTimeout: Duration.seconds(30),
    });
    // The CloudWatch agent scrapes this task's /metrics (jobs by status, oldest due job) into
    // CloudWatch metrics for the alarms; /metrics itself is not reachable through the ALB.
    const namespace = `${METRICS_NAMESPACE_PREFIX}/${d.name}`;
    appTask.addContainer('cloudwatch-agent', {
      image: ecs.ContainerImage.fromRegistry(CLOUDWATCH_AGENT_IMAGE),
      essential: false,
      memoryReservationMiB: 64,
      environment: {
        PROMETHEUS_CONFIG_CONTENT: prometheusConfig(),
        CW_CONFIG_CONTENT: JSON.stringify(cloudwatchAgentConfig(namespace, logName('metrics'))),
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'cloudwatch-agent', logGroup: appLogs }),
    });
    appTask.taskRole.addManagedPolicy(
      iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'),
    );

    // Worker tasks: `npm run worker` (claims jobs with FOR UPDATE SKIP LOCKED; no HTTP).
    const workerTask = taskDefinition('Worker', d.workerTaskSize);
    photos.grantReadWrite(workerTask.taskRole);
    workerTask.addContainer('worker', {
      image,
      command: scriptCommand('worker'),
      environment,
      secrets,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker', logGroup: workerLogs }),
      // Running jobs get 20 s to finish after SIGTERM (server/src/worker.ts), then return.
      stopTimeout: Duration.seconds(45),
    });

    // The migration: `npm run db:migrate`, once per image change, before the services move.
    const migrateTask = taskDefinition('Migrate', { cpu: 256, memoryMiB: 512 });
    migrateTask.addContainer('migrate', {
      image,
      command: scriptCommand('db:migrate'),
      environment,
      secrets,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'migrate', logGroup: migrateLogs }),
    });
    const migration = new Migration(this, 'Migration', {
      cluster,
      taskDefinition: migrateTask,
      containerName: 'migrate',
      subnets: appSubnets.subnets,
      securityGroup: migrateSg,
      logGroup: migrateLogs,
    });

    const service = (name: string, task: ecs.FargateTaskDefinition, sg: ec2.SecurityGroup) => {
      const s = new ecs.FargateService(this, `${name}Service`, {
        cluster,
        taskDefinition: task,
        securityGroups: [sg],
        vpcSubnets: appSubnets,
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        circuitBreaker: { enable: true, rollback: true },
        propagateTags: ecs.PropagatedTagSource.SERVICE,
      });
      s.node.addDependency(migration.resource);
      return s;
    };
    const appService = service('App', appTask, appSg);
    const workerService = service('Worker', workerTask, workerSg);

    // ---- load balancer: HTTPS with an ACM certificate, HTTP redirected ----
    const certificate = d.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', d.certificateArn)
      : new acm.Certificate(this, 'Certificate', {
          domainName: d.domainName,
          validation: acm.CertificateValidation.fromDns(),
        });
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      securityGroup: albSg,
      // The notification stream (SSE) stays open; the app sends a heartbeat well inside this.
      idleTimeout: Duration.seconds(3600),
      dropInvalidHeaderFields: true,
    });
    const https = alb.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: true,
    });
    alb.addRedirect({ sourcePort: 80, targetPort: 443 });
    const targetGroup = https.addTargets('App', {
      port: APP_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [appService.loadBalancerTarget({ containerName: 'app', containerPort: APP_PORT })],
      healthCheck: {
        path: '/readyz',
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      deregistrationDelay: Duration.seconds(30),
    });
    // As deploy/nginx.conf: the Prometheus endpoint is for the agent beside each task only.
    https.addAction('HideMetrics', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/metrics', '/metrics/*'])],
      action: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'text/plain',
        messageBody: 'Not Found',
      }),
    });

    // ---- autoscaling: CPU and requests per task ----
    const appScaling = appService.autoScaleTaskCount({
      minCapacity: d.appTasks.min,
      maxCapacity: d.appTasks.max,
    });
    appScaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: 60,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    appScaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: 3000, // per minute per task
      targetGroup,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    const workerScaling = workerService.autoScaleTaskCount({
      minCapacity: d.workerTasks.min,
      maxCapacity: d.workerTasks.max,
    });
    workerScaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

    new Monitoring(this, 'Monitoring', {
      deployment: d,
      namespace,
      alb,
      targetGroup,
      appService,
      workerService,
      database,
      redisMemberId: `${redis.replicationGroupId}-001`,
    });

    new CfnOutput(this, 'LoadBalancerDns', {
      value: alb.loadBalancerDnsName,
      description: `Point ${d.domainName} here (CNAME or alias)`,
    });
    new CfnOutput(this, 'PhotosCdnDomain', { value: photosCdn.distributionDomainName });
    new CfnOutput(this, 'AppSecretKeys', {
      value: appSecretKeys().join(', '),
      description: `The JSON keys the secret ${d.appSecretArn} must hold`,
    });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
  }
}

/** Prometheus scrape configuration of the agent beside each app task (the same network). */
function prometheusConfig(): string {
  return [
    'global:',
    '  scrape_interval: 1m',
    '  scrape_timeout: 10s',
    'scrape_configs:',
    '  - job_name: pitch-a-seat',
    '    metrics_path: /metrics',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${APP_PORT}']`,
    '        labels:',
    '          service: pitch-a-seat',
    '',
  ].join('\n');
}

/** CloudWatch agent: the job metrics of /metrics as CloudWatch metrics (embedded metric format). */
function cloudwatchAgentConfig(namespace: string, logGroupName: string) {
  const declaration = (dimensions: string[], metric: string) => ({
    source_labels: ['job'],
    label_matcher: '^pitch-a-seat$',
    dimensions: [dimensions],
    metric_selectors: [`^${metric}$`],
  });
  return {
    logs: {
      metrics_collected: {
        prometheus: {
          log_group_name: logGroupName,
          prometheus_config_path: 'env:PROMETHEUS_CONFIG_CONTENT',
          emf_processor: {
            metric_namespace: namespace,
            metric_declaration: [
              declaration(['service', 'status'], 'jobs_queue_depth'),
              declaration(['service'], 'jobs_oldest_due_age_seconds'),
            ],
          },
        },
      },
      force_flush_interval: 5,
    },
  };
}

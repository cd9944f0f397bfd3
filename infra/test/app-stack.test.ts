// The synthesised CloudFormation, checked with aws-cdk-lib/assertions: encryption on, nothing of
// the data tier reachable from the internet, health checks, and the containers' environment
// against what server/src/config.ts reads (loadConfig itself runs on it).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../server/src/config.ts';
import { MYSQL_CONNECTION_LIMIT } from '../../server/src/platform/db/database.ts';
import { DEPLOYMENTS, type DeploymentSettings } from '../lib/environments.ts';
import { SHARED_STACK, buildInfraApp, stackName } from '../lib/infra-app.ts';

const app = buildInfraApp({
  imageTag: 'v9.8.7',
  outdir: mkdtempSync(path.join(tmpdir(), 'pas-cdk-')),
});
const assembly = app.synth();
const templates = new Map(
  [SHARED_STACK, ...DEPLOYMENTS.map((d) => stackName(d.name))].map((name) => [
    name,
    Template.fromStack(app.node.findChild(name) as Stack),
  ]),
);
const template = (name: string) => templates.get(name)!;
const pkg = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'),
) as { scripts: Record<string, string> };

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface ContainerDefinition {
  Name: string;
  Image: Json;
  Command?: string[];
  Environment?: { Name: string; Value: Json }[];
  Secrets?: { Name: string; ValueFrom: Json }[];
  HealthCheck?: { Command: string[] };
}

/** An intrinsic function as the string CloudFormation would make of it, with stand-in values. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return String(value);
  if ('Ref' in value) return String(value.Ref).replace(/\W/g, '-').toLowerCase();
  if ('Fn::GetAtt' in value) {
    const [resource, attribute] = value['Fn::GetAtt'] as string[];
    return attribute!.endsWith('Port') ? '6379' : `${resource}.${attribute}`.toLowerCase();
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map(render).join(separator);
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

function containers(t: Template): ContainerDefinition[] {
  return Object.values(t.findResources('AWS::ECS::TaskDefinition')).flatMap(
    (r) =>
      (r as { Properties: { ContainerDefinitions: ContainerDefinition[] } }).Properties
        .ContainerDefinitions,
  );
}
const container = (t: Template, name: string) => containers(t).find((c) => c.Name === name)!;

/** What a container gets: plain values rendered, secrets as values a real secret would hold. */
function environmentOf(c: ContainerDefinition): Record<string, string> {
  const stand_ins: Record<string, string> = {
    JWT_SECRET: 'x'.repeat(48),
    DATABASE_URL: 'mysql://pitchaseat:pw@db.example:3306/pitchaseat?ssl=Amazon%20RDS',
    SMTP_URL: 'smtps://user:pw@email-smtp.example:465',
    // Shaped like a P-256 key pair in base64url (config.ts checks the shape).
    VAPID_PUBLIC_KEY: `B${'A'.repeat(86)}`,
    VAPID_PRIVATE_KEY: 'A'.repeat(43),
    // 32 bytes in base64, as `openssl rand -base64 32` prints them.
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  return Object.fromEntries([
    ...(c.Environment ?? []).map((e) => [e.Name, render(e.Value)]),
    ...(c.Secrets ?? []).map((s) => [s.Name, stand_ins[s.Name] ?? `secret-${s.Name}`]),
  ]);
}

const SECRET_LOOKING = /SECRET|PASSWORD|TOKEN|PRIVATE|_KEY$|^DATABASE_URL$|^SMTP_URL$/;

describe.each(DEPLOYMENTS)('the $name stack', (d: DeploymentSettings) => {
  const t = template(stackName(d.name));

  it('when synthesised without an account or region, then it needs no context lookup', () => {
    expect(assembly.manifest.missing ?? []).toEqual([]);
    const stack = assembly.getStackByName(stackName(d.name));
    expect(stack.environment.account).toBe('unknown-account');
    expect(stack.environment.region).toBe('unknown-region');
  });

  it('when it holds the database, then MySQL is encrypted, private, backed up and Multi-AZ as set', () => {
    t.resourceCountIs('AWS::RDS::DBInstance', 1);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      EngineVersion: Match.stringLikeRegexp('^8\\.'),
      StorageEncrypted: true,
      PubliclyAccessible: false,
      MultiAZ: d.multiAz,
      BackupRetentionPeriod: d.backupRetentionDays,
      DeletionProtection: d.name === 'production',
    });
    expect(d.backupRetentionDays).toBeGreaterThanOrEqual(7);
    // Its subnets are the isolated ones (no route to or from the internet).
    const group = Object.values(t.findResources('AWS::RDS::DBSubnetGroup'))[0] as {
      Properties: { SubnetIds: { Ref: string }[] };
    };
    for (const subnet of group.Properties.SubnetIds) expect(subnet.Ref).toMatch(/datasubnet/i);
    const routes = t.findResources('AWS::EC2::Route');
    for (const route of Object.keys(routes)) expect(route).not.toMatch(/datasubnet/i);
  });

  it('when MySQL is configured, then it is utf8mb4 with binary collation, TLS only, with room for every pool', () => {
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({
        character_set_server: 'utf8mb4',
        collation_server: 'utf8mb4_bin',
        require_secure_transport: '1',
        transaction_isolation: 'REPEATABLE-READ',
      }),
    });
    const group = Object.values(t.findResources('AWS::RDS::DBParameterGroup'))[0] as {
      Properties: { Parameters: Record<string, string> };
    };
    const pools = (d.appTasks.max + d.workerTasks.max + 1) * MYSQL_CONNECTION_LIMIT;
    expect(Number(group.Properties.Parameters.max_connections)).toBeGreaterThan(pools);
    expect(environmentOf(container(t, 'app')).DATABASE_URL).toBeDefined();
  });

  it('when it holds Redis, then it is encrypted at rest and in transit and the app speaks TLS to it', () => {
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      AutomaticFailoverEnabled: d.multiAz,
    });
    expect(environmentOf(container(t, 'app')).REDIS_URL).toMatch(/^rediss:\/\//);
  });

  it('when photos are stored, then the bucket is private and encrypted and only CloudFront (OAC) reads it', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: Match.anyValue() } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    t.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        // Order photos under private/ are never served by the CDN (issue 18).
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: 'private/*',
            FunctionAssociations: [
              Match.objectLike({ EventType: 'viewer-request', FunctionARN: Match.anyValue() }),
            ],
          }),
        ],
      }),
    });
    const [refuse] = Object.values(t.findResources('AWS::CloudFront::Function')) as {
      Properties: { FunctionCode: string };
    }[];
    expect(refuse?.Properties.FunctionCode).toMatch(/statusCode: 404/);
    const policy = JSON.stringify(t.findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toContain('cloudfront.amazonaws.com');
    expect(policy).not.toMatch(/"Principal":\{"AWS":"\*"\}[^}]*"Effect":"Allow"/);
    // The app and worker roles may write photos; the migration's may not touch them.
    const s3Roles = Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p).includes('"s3:PutObject'))
      .flatMap((p) => (p as { Properties: { Roles: { Ref: string }[] } }).Properties.Roles)
      .map((r) => r.Ref.replace(/[0-9A-F]{8}$/, ''));
    expect(s3Roles.sort()).toEqual(['AppTaskTaskRole', 'WorkerTaskTaskRole']);
  });

  it('when anything listens, then only the load balancer takes traffic from the internet, on 80 and 443', () => {
    const open: string[] = [];
    for (const [id, sg] of Object.entries(t.findResources('AWS::EC2::SecurityGroup'))) {
      const ingress = (sg as { Properties: { SecurityGroupIngress?: Record<string, Json>[] } })
        .Properties.SecurityGroupIngress;
      for (const rule of ingress ?? []) {
        if (rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0') {
          open.push(`${id.replace(/[0-9A-F]{8}$/, '')}:${String(rule.FromPort)}`);
        }
      }
    }
    expect(open.sort()).toEqual(['AlbSg:443', 'AlbSg:80']);
    // The database and the cache admit the task security groups, nothing else.
    const standalone = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')) as {
      Properties: Record<string, Json>;
    }[];
    for (const rule of standalone) {
      expect(rule.Properties.CidrIp).toBeUndefined();
      expect(rule.Properties.SourceSecurityGroupId).toBeDefined();
    }
  });

  it('when traffic arrives, then HTTPS serves it with the ACM certificate and HTTP redirects', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: Match.anyValue() }],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        Match.objectLike({
          Type: 'redirect',
          RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }),
        }),
      ],
    });
    if (!d.certificateArn) {
      t.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: d.domainName,
        ValidationMethod: 'DNS',
      });
    }
    // /metrics answers 404 at the load balancer, as nginx does.
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [
        Match.objectLike({
          Field: 'path-pattern',
          PathPatternConfig: { Values: ['/metrics', '/metrics/*'] },
        }),
      ],
      Actions: [Match.objectLike({ Type: 'fixed-response' })],
    });
  });

  it('when tasks run, then the load balancer checks /readyz and the container checks /healthz', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      Matcher: { HttpCode: '200' },
      Port: 3000,
    });
    const probe = container(t, 'app').HealthCheck?.Command.join(' ');
    expect(probe).toContain('http://127.0.0.1:3000/healthz');
    // The Dockerfile's HEALTHCHECK probes the same path.
    const dockerfile = readFileSync(path.resolve(import.meta.dirname, '../../Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
  });

  it('when the containers start, then the app, worker and migration run the image tag and the package.json commands', () => {
    for (const name of ['app', 'worker', 'migrate']) {
      expect(render(container(t, name).Image)).toMatch(/:v9\.8\.7$/);
    }
    expect(container(t, 'app').Command).toBeUndefined(); // the image's CMD: server/src/main.ts
    expect(container(t, 'worker').Command?.join(' ')).toBe(pkg.scripts.worker);
    expect(container(t, 'migrate').Command?.join(' ')).toBe(pkg.scripts['db:migrate']);
  });

  it('when the config is read from the task definitions, then every name is one config.ts reads and loadConfig accepts it', () => {
    const known = new Set<string>(CONFIG_VARIABLES);
    for (const name of ['app', 'worker', 'migrate']) {
      const env = environmentOf(container(t, name));
      expect(Object.keys(env).filter((v) => !known.has(v))).toEqual([]);
      const config = loadConfig(env);
      expect(config).toMatchObject({
        env: 'production',
        database: { driver: 'mysql' },
        redis: { url: expect.stringMatching(/^rediss:/) },
        storage: { driver: 's3', publicUrl: expect.stringMatching(/^https:\/\//) },
        mail: { driver: 'smtp' },
        payments: { provider: 'tappay', env: d.payments.env },
        http: { host: '0.0.0.0', port: 3000, publicUrl: `https://${d.domainName}` },
        jobs: 'off',
        migrateOnStart: false,
        demoData: false,
      });
      expect(config.jwtSecret).not.toBeNull();
      expect(config.http.trustProxy).toBeDefined();
    }
  });

  it('when a variable holds a secret, then it comes from Secrets Manager and never stands in the template', () => {
    const app = container(t, 'app');
    const plain = (app.Environment ?? []).map((e) => e.Name);
    expect(plain.filter((v) => SECRET_LOOKING.test(v))).toEqual([]);
    const fromSecrets = new Map((app.Secrets ?? []).map((s) => [s.Name, render(s.ValueFrom)]));
    const secretVariables = CONFIG_VARIABLES.filter((v) => SECRET_LOOKING.test(v));
    expect(secretVariables).toEqual(expect.arrayContaining(['JWT_SECRET', 'DATABASE_URL']));
    for (const name of ['JWT_SECRET', 'SMTP_URL', 'TAPPAY_PARTNER_KEY', 'TAPPAY_APP_KEY']) {
      expect(fromSecrets.get(name)).toBe(`${d.appSecretArn}:${name}::`);
    }
    // DATABASE_URL is assembled by CloudFormation from the RDS secret (dynamic references).
    const databaseUrl = JSON.stringify(t.findResources('AWS::SecretsManager::Secret'));
    expect(databaseUrl).toContain('{{resolve:secretsmanager:');
    expect(databaseUrl).toContain('?ssl=Amazon%20RDS');
  });

  it('when load grows, then the app scales on CPU and on requests per task, the worker on CPU', () => {
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: d.appTasks.min,
      MaxCapacity: d.appTasks.max,
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: d.workerTasks.min,
      MaxCapacity: d.workerTasks.max,
    });
    const metrics = Object.values(
      t.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'),
    ).map(
      (p) =>
        (
          p as {
            Properties: {
              TargetTrackingScalingPolicyConfiguration: {
                PredefinedMetricSpecification: { PredefinedMetricType: string };
              };
            };
          }
        ).Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification
          .PredefinedMetricType,
    );
    expect(metrics.sort()).toEqual([
      'ALBRequestCountPerTarget',
      'ECSServiceAverageCPUUtilization',
      'ECSServiceAverageCPUUtilization',
    ]);
  });

  it('when an image changes, then the migration task runs before either service moves', () => {
    const migration = Object.entries(t.findResources('Custom::DatabaseMigration'));
    expect(migration).toHaveLength(1);
    const [migrationId, resource] = migration[0]!;
    const migrateTask = Object.entries(t.findResources('AWS::ECS::TaskDefinition')).find(([, r]) =>
      JSON.stringify(r).includes('"Name":"migrate"'),
    )![0];
    expect(
      (resource as { Properties: { TaskDefinition: Json } }).Properties.TaskDefinition,
    ).toEqual({
      Ref: migrateTask,
    });
    const services = Object.values(t.findResources('AWS::ECS::Service')) as {
      DependsOn?: string[];
    }[];
    expect(services).toHaveLength(2);
    for (const service of services) expect(service.DependsOn).toContain(migrationId);
  });

  it('when something goes wrong, then alarms watch 5xx, p99 latency, dead jobs, the job queue and RDS CPU and storage', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: Record<string, Json> }).Properties,
    );
    const names = alarms.map((a) => a.AlarmName);
    expect(names.sort()).toEqual(
      [
        'database-cpu',
        'database-storage',
        'dead-jobs',
        'http5xx-rate',
        'job-queue-stuck',
        'latency-p99',
      ].map((n) => `pitch-a-seat-${d.name}-${n}`),
    );
    /** The alarm's metric, whether given directly or as the one metric of a Metrics array. */
    const metricOf = (n: string) => {
      const a = alarms.find((x) => x.AlarmName === `pitch-a-seat-${d.name}-${n}`)!;
      if (a.MetricName) {
        return {
          MetricName: a.MetricName,
          Namespace: a.Namespace,
          Dimensions: a.Dimensions,
          Stat: a.ExtendedStatistic ?? a.Statistic,
        };
      }
      const stat = ((a.Metrics as Json[])[0] as { MetricStat: { Metric: Json; Stat: string } })
        .MetricStat;
      return { ...(stat.Metric as Record<string, Json>), Stat: stat.Stat };
    };
    expect(metricOf('dead-jobs')).toMatchObject({
      MetricName: 'jobs_queue_depth',
      Namespace: `PitchASeat/${d.name}`,
      Dimensions: expect.arrayContaining([{ Name: 'status', Value: 'dead' }]),
      Stat: 'Maximum',
    });
    expect(metricOf('latency-p99')).toMatchObject({
      MetricName: 'TargetResponseTime',
      Stat: 'p99',
    });
    expect(metricOf('database-cpu')).toMatchObject({ MetricName: 'CPUUtilization' });
    expect(metricOf('database-storage')).toMatchObject({ MetricName: 'FreeStorageSpace' });
    const errorRate = JSON.stringify(alarms.find((a) => String(a.AlarmName).endsWith('5xx-rate')));
    expect(errorRate).toContain('HTTPCode_Target_5XX_Count');
    expect(errorRate).toContain('RequestCount');
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    // The dead-jobs metric is the one the agent beside each app task takes from /metrics.
    const agent = environmentOf(container(t, 'cloudwatch-agent'));
    expect(agent.CW_CONFIG_CONTENT).toContain(`"metric_namespace":"PitchASeat/${d.name}"`);
    expect(agent.CW_CONFIG_CONTENT).toContain('^jobs_queue_depth$');
    expect(agent.PROMETHEUS_CONFIG_CONTENT).toContain('metrics_path: /metrics');
  });
});

describe('the shared stack', () => {
  const t = template(SHARED_STACK);

  it('when images are pushed, then ECR scans them and a release tag cannot be overwritten', () => {
    t.hasResourceProperties('AWS::ECR::Repository', {
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
    });
  });

  it('when GitHub Actions comes in, then it is through OIDC for this repository only, with no keys', () => {
    t.resourceCountIs('AWS::IAM::User', 0);
    t.resourceCountIs('AWS::IAM::AccessKey', 0);
    t.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    const roles = Object.values(t.findResources('AWS::IAM::Role')).map(
      (r) => (r as { Properties: { RoleName: string; AssumeRolePolicyDocument: Json } }).Properties,
    );
    const subjects = Object.fromEntries(
      roles.map((r) => [r.RoleName, JSON.stringify(r.AssumeRolePolicyDocument)]),
    );
    expect(subjects['pitch-a-seat-github-push']).toContain(':ref:refs/tags/v*');
    for (const d of DEPLOYMENTS) {
      expect(subjects['pitch-a-seat-github-deploy']).toContain(`:environment:${d.name}`);
    }
    for (const doc of Object.values(subjects)) {
      expect(doc).toContain('"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"');
    }
  });
});

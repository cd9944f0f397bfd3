// What differs between the deployments. Edit these for your account: the domain names, the
// certificate, the app secret's ARN, the alarm address. Nothing here is a secret; the secrets
// live in Secrets Manager (see appSecretArn and deploy/README.md).

export interface DeploymentSettings {
  /** Stack name suffix and GitHub environment name: `PitchASeat-<name>`. */
  name: 'staging' | 'production';
  /** The site's public host; the ALB answers it with the ACM certificate below. */
  domainName: string;
  /**
   * An ACM certificate (same region as the stack) for domainName. Empty: the stack requests one
   * with DNS validation, and creation waits until its CNAME record exists in your DNS.
   */
  certificateArn: string;
  /**
   * The Secrets Manager secret (JSON, one key per variable: `AppSecretKeys` in the stack's
   * outputs) holding the app's secrets, created before the first deploy (deploy/README.md). Its
   * full ARN, with the six-character suffix: ECS reads single JSON keys only through that.
   */
  appSecretArn: string;
  /** RDS standby in a second AZ, ElastiCache replica with automatic failover. */
  multiAz: boolean;
  databaseInstanceType: string;
  databaseStorageGiB: number;
  databaseMaxStorageGiB: number;
  backupRetentionDays: number;
  /** cache.t4g.small and up support encryption in transit. */
  cacheNodeType: string;
  /** App tasks (JOBS=off): desired at first deploy, then autoscaled between min and max. */
  appTasks: { min: number; max: number };
  workerTasks: { min: number; max: number };
  /** Fargate sizes: cpu units (1024 = 1 vCPU) and memory MiB. */
  appTaskSize: { cpu: number; memoryMiB: number };
  workerTaskSize: { cpu: number; memoryMiB: number };
  /** NAT gateways for the tasks' way out (TapPay, SMTP, ECR, Secrets Manager). */
  natGateways: number;
  payments: { provider: 'tappay'; env: 'sandbox' | 'production' };
  mailFrom: string;
  /** Alarms are sent to this address (an SNS subscription to confirm), if any. */
  alarmEmail: string;
  logRetentionDays: number;
}

export const DEPLOYMENTS: DeploymentSettings[] = [
  {
    name: 'staging',
    domainName: 'staging.pitchaseat.example',
    certificateArn: '',
    appSecretArn:
      'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:pitch-a-seat/staging/app-AbCdEf',
    multiAz: false,
    databaseInstanceType: 't4g.small',
    databaseStorageGiB: 20,
    databaseMaxStorageGiB: 50,
    backupRetentionDays: 7,
    cacheNodeType: 'cache.t4g.micro',
    appTasks: { min: 2, max: 4 },
    workerTasks: { min: 1, max: 2 },
    appTaskSize: { cpu: 512, memoryMiB: 1024 },
    workerTaskSize: { cpu: 256, memoryMiB: 512 },
    natGateways: 1,
    payments: { provider: 'tappay', env: 'sandbox' },
    mailFrom: 'Pitch-A-Seat staging <no-reply@staging.pitchaseat.example>',
    alarmEmail: '',
    logRetentionDays: 30,
  },
  {
    name: 'production',
    domainName: 'pitchaseat.example',
    certificateArn: '',
    appSecretArn:
      'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:pitch-a-seat/production/app-GhIjKl',
    multiAz: true,
    databaseInstanceType: 'm7g.large',
    databaseStorageGiB: 100,
    databaseMaxStorageGiB: 500,
    backupRetentionDays: 14,
    cacheNodeType: 'cache.t4g.small',
    appTasks: { min: 2, max: 10 },
    workerTasks: { min: 1, max: 4 },
    appTaskSize: { cpu: 1024, memoryMiB: 2048 },
    workerTaskSize: { cpu: 512, memoryMiB: 1024 },
    natGateways: 2,
    payments: { provider: 'tappay', env: 'production' },
    mailFrom: 'Pitch-A-Seat <no-reply@pitchaseat.example>',
    alarmEmail: '',
    logRetentionDays: 365,
  },
];

/** The GitHub repository whose workflows may push images and deploy (OIDC trust). */
export const GITHUB_REPOSITORY = 'pitch-a-seat/pitch-a-seat';
/** ECR repository the release workflow pushes to and the stacks run. */
export const ECR_REPOSITORY = 'pitch-a-seat';

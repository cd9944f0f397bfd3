// The environment the containers get, checked against the variables server/src/config.ts reads
// (CONFIG_VARIABLES): a name config.ts does not know stops the synthesis, so a renamed variable
// cannot silently drop out of the deployment. infra/test/app-stack.test.ts also runs loadConfig
// on what the task definitions hold.
import { CONFIG_VARIABLES } from '../../server/src/config.ts';
import type { DeploymentSettings } from './environments.ts';

const known = new Set<string>(CONFIG_VARIABLES);

/**
 * Variables read from the deployment's Secrets Manager secret (JSON keys of the same names).
 * One that config.ts does not read (yet) is left out, so a key such as VAPID_PRIVATE_KEY is
 * injected from the release whose config.ts reads it on. DATABASE_URL comes from a secret of its
 * own that the stack builds from the RDS credentials.
 */
const APP_SECRET_KEYS = [
  'JWT_SECRET',
  'DATA_ENCRYPTION_KEY',
  'SMTP_URL',
  'TAPPAY_PARTNER_KEY',
  'TAPPAY_MERCHANT_ID',
  'TAPPAY_APP_ID',
  'TAPPAY_APP_KEY',
  'VAPID_PUBLIC_KEY',
  'VAPID_PRIVATE_KEY',
];

/** The keys the deployment's app secret must hold (those config.ts reads). */
export function appSecretKeys(): string[] {
  return APP_SECRET_KEYS.filter((key) => known.has(key));
}

export interface AppEnvironmentInputs {
  deployment: DeploymentSettings;
  redisUrl: string;
  bucketName: string;
  region: string;
  publicAssetUrl: string;
  /** Addresses whose X-Forwarded-For the app believes: the load balancer's subnets. */
  trustProxy: string;
}

/** Plain (non-secret) variables of the app, worker and migration containers. */
export function appEnvironment(inputs: AppEnvironmentInputs): Record<string, string> {
  const { deployment } = inputs;
  const publicUrl = `https://${deployment.domainName}`;
  const environment: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    PORT: '3000',
    DATA_DIR: '/data',
    REDIS_URL: inputs.redisUrl,
    STORAGE: 's3',
    S3_BUCKET: inputs.bucketName,
    S3_REGION: inputs.region,
    PUBLIC_ASSET_URL: inputs.publicAssetUrl,
    MAIL_TRANSPORT: 'smtp',
    MAIL_FROM: deployment.mailFrom,
    PAYMENT_PROVIDER: deployment.payments.provider,
    TAPPAY_ENV: deployment.payments.env,
    PUBLIC_URL: publicUrl,
    DEMO_DATA: 'false',
    // The deploy runs the migration as a task of its own before the services change.
    MIGRATE_ON_START: 'false',
    // App tasks serve requests only; the worker service runs the jobs.
    JOBS: 'off',
    TRUST_PROXY: inputs.trustProxy,
    LOG_LEVEL: 'info',
  };
  const unknown = Object.keys(environment).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(`infra: ${unknown.join(', ')} not read by server/src/config.ts`);
  }
  // Read once config.ts has Web Push (a VAPID subject may be an https: URL).
  if (known.has('VAPID_SUBJECT')) environment.VAPID_SUBJECT = publicUrl;
  return environment;
}

import { randomUUID } from 'node:crypto';
import type { Config } from '@catalog/domain';

/**
 * The app settings for the rclone S3 server `npm test` started (scripts/lib/s3-service.mjs), under
 * a prefix of the caller's own; or, where there is no rclone and no Go, the one reason to skip.
 */
export function s3TestSettings(): { env: Record<string, string> } | { skip: string } {
  const names = ['ENDPOINT', 'BUCKET', 'REGION', 'ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', 'FORCE_PATH_STYLE'] as const;
  const env: Record<string, string> = { UPLOAD_STORE: 's3', S3_PREFIX: `test-${randomUUID()}` };
  for (const name of names) {
    const value = process.env[`S3_TEST_${name}`];
    if (!value) return { skip: process.env.S3_TEST_UNAVAILABLE ?? 'S3 tests need the stack of npm test' };
    env[`S3_${name}`] = value;
  }
  return { env };
}

/** The upload store settings of `config` as environment, for a worker process that must share it. */
export function uploadStoreEnv(config: Config): Record<string, string> {
  const env: Record<string, string> = {
    UPLOAD_STORE: config.UPLOAD_STORE,
    UPLOAD_DIR: config.UPLOAD_DIR,
    S3_PREFIX: config.S3_PREFIX,
    S3_REGION: config.S3_REGION,
    S3_FORCE_PATH_STYLE: String(config.S3_FORCE_PATH_STYLE),
  };
  if (config.S3_BUCKET) env.S3_BUCKET = config.S3_BUCKET;
  if (config.S3_ENDPOINT) env.S3_ENDPOINT = config.S3_ENDPOINT;
  if (config.S3_ACCESS_KEY_ID) env.S3_ACCESS_KEY_ID = config.S3_ACCESS_KEY_ID;
  if (config.S3_SECRET_ACCESS_KEY) env.S3_SECRET_ACCESS_KEY = config.S3_SECRET_ACCESS_KEY;
  return env;
}

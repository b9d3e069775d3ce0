import { type Config, ConfigError } from '@catalog/domain';
import { createFsUploadStore } from './fs-store';
import { createS3UploadStore } from './s3-store';
import type { UploadStore } from './upload-store';

type UploadConfig = Pick<
  Config,
  | 'UPLOAD_STORE'
  | 'UPLOAD_DIR'
  | 'S3_BUCKET'
  | 'S3_PREFIX'
  | 'S3_ENDPOINT'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
>;

/** The store `UPLOAD_STORE` names, created once per process and passed in. */
export function createUploadStore(config: UploadConfig): UploadStore {
  if (config.UPLOAD_STORE === 'fs') return createFsUploadStore(config.UPLOAD_DIR);
  // loadConfig already refuses s3 without a bucket; this only narrows the type.
  if (!config.S3_BUCKET) throw new ConfigError(['Invalid configuration: S3_BUCKET is required when UPLOAD_STORE=s3']);
  const credentials =
    config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
      : undefined;
  return createS3UploadStore({
    bucket: config.S3_BUCKET,
    prefix: config.S3_PREFIX,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    ...(credentials ? { credentials } : {}),
  });
}

import { Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { assertUploadKey, type StoredUpload, type UploadStore, uploadNotFound } from './upload-store';

export type S3StoreSettings = {
  bucket: string;
  /** Prepended to every key, e.g. `catalog/uploads/`; '' for the bucket's root. */
  prefix: string;
  /** For S3-compatible services (MinIO, R2, SeaweedFS, rclone); unset for AWS S3. */
  endpoint?: string;
  region: string;
  /** Unset: the SDK's default chain (environment, profile, instance or pod role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
};

/**
 * A multipart upload holds at most QUEUE_SIZE × PART_BYTES in memory per file (10 MB), whatever the
 * file's size; files below one part go up as a single PUT.
 */
const PART_BYTES = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * The AWS SDK is imported on first use, not at start: it costs a process about 35 MB, which the
 * default `fs` store never needs (the compiled build keeps this import dynamic).
 */
async function loadSdk() {
  const [s3, storage] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
  return { ...s3, Upload: storage.Upload };
}
type Sdk = Awaited<ReturnType<typeof loadSdk>>;

/** Uploads as objects in an S3-compatible bucket, so the API and worker need no shared disk. */
export function createS3UploadStore(settings: S3StoreSettings): UploadStore {
  const config: S3ClientConfig = {
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    // The SDK's default CRC32 trailers are not understood by every S3-compatible service; S3 itself
    // needs checksums only where an operation requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
  let connected: Promise<{ sdk: Sdk; client: S3Client }> | undefined;
  const connect = () => {
    connected ??= loadSdk().then((sdk) => ({ sdk, client: new sdk.S3Client(config) }));
    return connected;
  };
  const Bucket = settings.bucket;
  const prefix = settings.prefix;
  const objectKey = (key: string) => {
    assertUploadKey(key);
    return `${prefix}${key}`;
  };

  return {
    kind: 's3',

    async put(key, body) {
      const { sdk, client } = await connect();
      const upload = new sdk.Upload({
        client,
        params: { Bucket, Key: objectKey(key), Body: body, ContentType: 'text/csv' },
        partSize: PART_BYTES,
        queueSize: QUEUE_SIZE,
        // A failed multipart upload is aborted, so no parts linger (and cost) in the bucket.
        leavePartsOnError: false,
      });
      await upload.done();
    },

    async openRead(key, range) {
      const { sdk, client } = await connect();
      try {
        const answer = await client.send(
          new sdk.GetObjectCommand({
            Bucket,
            Key: objectKey(key),
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
          }),
        );
        // In Node the SDK answers with the HTTP response itself, a Readable.
        if (!(answer.Body instanceof Readable)) throw new Error(`GetObject ${key} answered without a stream body`);
        return answer.Body;
      } catch (error) {
        if (error instanceof sdk.NoSuchKey) throw uploadNotFound(key, error);
        throw error;
      }
    },

    async remove(key) {
      // S3 answers a delete of a missing object with success, which is what `remove` promises.
      const { sdk, client } = await connect();
      await client.send(new sdk.DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },

    async *list(): AsyncIterable<StoredUpload> {
      const { sdk, client } = await connect();
      for await (const page of sdk.paginateListObjectsV2({ client }, { Bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          if (!object.Key?.startsWith(prefix)) continue;
          const key = object.Key.slice(prefix.length);
          // Objects further down the prefix are not ours (the prefix may be shared with other apps).
          if (key.includes('/')) continue;
          yield { key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
        }
      }
    },

    close() {
      void connected?.then(({ client }) => client.destroy());
    },
  };
}

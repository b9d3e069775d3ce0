import type { Readable } from 'node:stream';

/** One stored upload, as the janitor sees it. */
export type StoredUpload = { key: string; size: number; lastModified: Date };

/** Inclusive byte offsets, like an HTTP Range: `{ start: 0, end: 65535 }` is the first 64 KB. */
export type ByteRange = { start: number; end: number };

/**
 * Where uploaded CSVs wait between the API accepting them and the worker finishing their job. The
 * API and the worker may run on different machines: the store, not a shared disk, is what they
 * share. Keys are plain file names (`<uuid>.csv`) chosen by the API; bodies are streamed both ways.
 */
export interface UploadStore {
  readonly kind: 'fs' | 's3';
  /** Stores the whole stream under `key`; on failure nothing stays behind under that key. */
  put(key: string, body: Readable): Promise<void>;
  /** Opens the upload for reading; rejects with `UploadNotFoundError` when it does not exist. */
  openRead(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the upload; removing one that is already gone succeeds. */
  remove(key: string): Promise<void>;
  /** Every stored upload, for the janitor. */
  list(): AsyncIterable<StoredUpload>;
  /** Releases connections (the S3 client's sockets). */
  close(): void;
}

export type UploadErrorCode = 'upload_not_found' | 'invalid_upload_key';

export class UploadStoreError extends Error {
  readonly code: UploadErrorCode;
  readonly key: string;
  constructor(code: UploadErrorCode, key: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UploadStoreError';
    this.code = code;
    this.key = key;
  }
}

export const uploadNotFound = (key: string, cause?: unknown) =>
  new UploadStoreError('upload_not_found', key, `The upload ${key} is not in the upload store`, { cause });

export function isUploadNotFound(error: unknown): error is UploadStoreError {
  return error instanceof UploadStoreError && error.code === 'upload_not_found';
}

/**
 * Keys become file names and object names: one path segment of safe characters, so a key read
 * back from the database can never reach outside the upload folder or prefix.
 */
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export function assertUploadKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new UploadStoreError('invalid_upload_key', key, `Not a valid upload key: ${JSON.stringify(key)}`);
  }
}

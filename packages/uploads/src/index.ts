export { createUploadStore } from './create-upload-store';
export { createFsUploadStore } from './fs-store';
export { createS3UploadStore, type S3StoreSettings } from './s3-store';
export {
  assertUploadKey,
  type ByteRange,
  isUploadNotFound,
  type StoredUpload,
  type UploadErrorCode,
  type UploadStore,
  UploadStoreError,
} from './upload-store';

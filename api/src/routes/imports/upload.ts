import { errors } from '@catalog/domain';
import type { UploadStore } from '@catalog/uploads';
import multer from '@koa/multer';
import type { Middleware } from 'koa';
import { UploadStoreFailed, uploadStoreStorage } from './upload-storage';

const MULTER_MESSAGES: Record<string, string> = {
  LIMIT_FILE_COUNT: 'Send exactly one file, in the form field "file".',
  LIMIT_UNEXPECTED_FILE: 'Send the CSV in the form field "file".',
  LIMIT_PART_COUNT: 'The form has too many parts.',
  LIMIT_FIELD_COUNT: 'The form has too many fields.',
};

/**
 * Streams the multipart field `file` straight into the upload store (never into memory), at most
 * `maxBytes`; `ctx.file.path` is then its key in the store. Multer's own errors become our typed
 * 4xx errors.
 */
export function uploadMiddleware(store: UploadStore, maxBytes: number): Middleware {
  const upload = multer({
    storage: uploadStoreStorage(store),
    limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12 },
  }).single('file');

  return async function uploadFile(ctx, next) {
    if (!ctx.is('multipart/form-data')) {
      throw errors.unsupportedMediaType('Upload the CSV as multipart/form-data with the file in the field "file".');
    }
    try {
      await upload(ctx, async () => {});
    } catch (error: unknown) {
      if (error instanceof UploadStoreFailed) throw error;
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
      if (code === 'LIMIT_FILE_SIZE') throw errors.payloadTooLarge(maxBytes);
      const message = MULTER_MESSAGES[code];
      if (message) throw errors.badRequest(message);
      throw errors.badRequest('The upload could not be read as multipart/form-data.');
    }
    await next();
  };
}

import { randomUUID } from 'node:crypto';
import { errors } from '@catalog/domain';
import multer from '@koa/multer';
import type { Middleware } from 'koa';

const MULTER_MESSAGES: Record<string, string> = {
  LIMIT_FILE_COUNT: 'Send exactly one file, in the form field "file".',
  LIMIT_UNEXPECTED_FILE: 'Send the CSV in the form field "file".',
  LIMIT_PART_COUNT: 'The form has too many parts.',
  LIMIT_FIELD_COUNT: 'The form has too many fields.',
};

/**
 * Streams the multipart field `file` straight to disk under `uploadDir` (never into memory), at
 * most `maxBytes`. Multer's own errors become our typed 4xx errors.
 */
export function uploadMiddleware(uploadDir: string, maxBytes: number): Middleware {
  const upload = multer({
    storage: multer.diskStorage({
      destination: uploadDir,
      filename: (_req, _file, callback) => callback(null, `${randomUUID()}.csv`),
    }),
    limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12 },
  }).single('file');

  return async function uploadFile(ctx, next) {
    if (!ctx.is('multipart/form-data')) {
      throw errors.unsupportedMediaType('Upload the CSV as multipart/form-data with the file in the field "file".');
    }
    try {
      await upload(ctx, async () => {});
    } catch (error: unknown) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
      if (code === 'LIMIT_FILE_SIZE') throw errors.payloadTooLarge(maxBytes);
      const message = MULTER_MESSAGES[code];
      if (message) throw errors.badRequest(message);
      throw errors.badRequest('The upload could not be read as multipart/form-data.');
    }
    await next();
  };
}

import { randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadStore } from '@catalog/uploads';
import type multer from '@koa/multer';

/** The store refused or lost the file while the client's part was fine: our fault, a 500 with its cause logged. */
export class UploadStoreFailed extends Error {
  readonly code = 'upload_store_failed';
  constructor(cause: unknown) {
    super('The upload store could not take the file', { cause });
    this.name = 'UploadStoreFailed';
  }
}

/**
 * A multer storage engine that streams the file part straight into the upload store (a file or an
 * S3 object) as it arrives, counting its bytes; nothing is held whole in memory or on local disk.
 * `file.path` is the store key. When multer aborts (size limit, bad form) it removes what was stored.
 */
export function uploadStoreStorage(store: UploadStore): multer.StorageEngine {
  return {
    _handleFile(_req, file, callback) {
      // multer 2 hands the part over as `file.stream`, which its typings do not declare.
      const part = 'stream' in file && file.stream instanceof Readable ? file.stream : null;
      if (!part) {
        callback(new Error('multer passed no file stream to the storage engine'));
        return;
      }
      const key = `${randomUUID()}.csv`;
      let size = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, next) {
          size += chunk.length;
          next(null, chunk);
        },
      });
      Promise.all([pipeline(part, counted), store.put(key, counted)]).then(
        () => {
          // multer merges what comes back into its own record of the file: `path` is the store key.
          file.path = key;
          file.filename = key;
          file.size = size;
          callback(null, file);
        },
        (error: unknown) => {
          // Settles whichever side is still waiting on the other.
          counted.destroy();
          // An errored part is the client's (aborted, malformed form); anything else is the store's.
          if (part.errored) callback(part.errored);
          else callback(new UploadStoreFailed(error));
        },
      );
    },
    _removeFile(_req, file, callback) {
      // The typings demand an Error even for success, where multer expects none; a method-typed
      // holder accepts the callback as it really is called.
      const settle: { done(error: Error | null): void } = { done: callback };
      store.remove(file.path).then(
        () => settle.done(null),
        (error: unknown) => settle.done(error instanceof Error ? error : new Error(String(error))),
      );
    },
  };
}

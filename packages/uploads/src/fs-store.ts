import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertUploadKey, type StoredUpload, type UploadStore, uploadNotFound } from './upload-store';

/** Reads in 256 KB pieces: small enough that each synchronous CSV parse slice stays short. */
const READ_CHUNK_BYTES = 1 << 18;

/** Uploads as files in one folder: for a single machine, or a volume every process mounts. */
export function createFsUploadStore(dir: string): UploadStore {
  const fileOf = (key: string) => {
    // Jobs accepted before the upload store recorded the file's absolute path; one in this folder
    // is still this store's, so imports in flight across the upgrade finish and clean up.
    const name = path.isAbsolute(key) && path.dirname(key) === path.resolve(dir) ? path.basename(key) : key;
    assertUploadKey(name);
    return path.join(dir, name);
  };

  return {
    kind: 'fs',

    async put(key, body: Readable) {
      const file = fileOf(key);
      await mkdir(dir, { recursive: true });
      try {
        await pipeline(body, createWriteStream(file));
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
    },

    async openRead(key, range) {
      const file = fileOf(key);
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        if (isMissing(error)) throw uploadNotFound(key, error);
        throw error;
      }
      return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES, ...range });
    },

    async remove(key) {
      await rm(fileOf(key), { force: true });
    },

    async *list(): AsyncIterable<StoredUpload> {
      let entries: string[];
      try {
        entries = await readdir(dir);
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const key of entries) {
        const info = await stat(path.join(dir, key)).catch((error: unknown) => {
          // Removed between readdir and stat (its job just ended): not stored any more.
          if (isMissing(error)) return null;
          throw error;
        });
        if (info?.isFile()) yield { key, size: info.size, lastModified: info.mtime };
      }
    },

    close() {},
  };
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { loadConfig } from '@catalog/domain';
import { s3TestSettings } from '../../../tests/support/uploads';
import { createUploadStore } from './create-upload-store';
import { isUploadNotFound, type UploadStore, UploadStoreError } from './upload-store';

/**
 * One contract, two real stores: a folder, and the rclone S3 server `npm test` started (multipart
 * uploads, ranged GETs, paginated listing all go over HTTP to a real S3 implementation). Each test
 * opens a store of its own: a fresh folder, or a fresh prefix in the bucket.
 */
const root = mkdtempSync(path.join(tmpdir(), 'catalog-store-'));
after(() => rm(root, { recursive: true, force: true }));
const s3Available = s3TestSettings();
const stores: { kind: string; skip: string | false; open: () => UploadStore }[] = [
  {
    kind: 'fs',
    skip: false,
    // A folder that does not exist yet: the store creates it on the first put.
    open: () =>
      createUploadStore(storeConfig({ UPLOAD_STORE: 'fs', UPLOAD_DIR: path.join(mkdtempSync(`${root}/`), 'uploads') })),
  },
  {
    kind: 's3',
    skip: 'skip' in s3Available ? s3Available.skip : false,
    open: () => {
      const s3 = s3TestSettings();
      if ('skip' in s3) throw new Error(s3.skip);
      return createUploadStore(storeConfig(s3.env));
    },
  },
];

function storeConfig(env: Record<string, string>) {
  return loadConfig({ DATABASE_URL: 'postgres://unused@127.0.0.1/unused', ...env });
}

const MB = 1024 * 1024;

/** `size` bytes of a repeating, position-dependent pattern, produced 64 KB at a time. */
function patternStream(size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const length = Math.min(64 * 1024, size - sent);
      const chunk = Buffer.alloc(length);
      for (let i = 0; i < length; i++) chunk[i] = (sent + i) % 251;
      sent += length;
      this.push(chunk);
    },
  });
}

async function digest(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function keys(store: UploadStore): Promise<string[]> {
  const found: string[] = [];
  for await (const upload of store.list()) found.push(upload.key);
  return found.sort();
}

test('the fs store still finds a file by the absolute path jobs recorded before the store existed', async () => {
  const dir = path.join(mkdtempSync(`${root}/`), 'uploads');
  const store = createUploadStore(storeConfig({ UPLOAD_STORE: 'fs', UPLOAD_DIR: dir }));
  await store.put('legacy.csv', Readable.from([Buffer.from('sku,name\n')]));
  assert.equal(await readText(await store.openRead(path.resolve(dir, 'legacy.csv'))), 'sku,name\n');
  await store.remove(path.resolve(dir, 'legacy.csv'));
  await assert.rejects(store.openRead('legacy.csv'), (error: unknown) => isUploadNotFound(error));
  await assert.rejects(store.openRead(path.resolve(dir, '..', 'legacy.csv')), UploadStoreError);
});

for (const { kind, skip, open } of stores) {
  describe(`${kind} upload store`, { skip }, () => {
    const opened: UploadStore[] = [];
    const freshStore = () => {
      const store = open();
      opened.push(store);
      return store;
    };
    after(() => {
      for (const store of opened) store.close();
    });

    test('stores a stream, reads it back whole or by range, lists it, and removes it', async () => {
      const store = freshStore();
      assert.equal(store.kind, kind);
      const started = Date.now();
      await store.put('a.csv', Readable.from([Buffer.from('sku,name\n'), Buffer.from('a-1,Apple\n')]));
      await store.put('b.csv', Readable.from([Buffer.from('sku,name\nb-1,Banana\n')]));

      assert.equal(await readText(await store.openRead('a.csv')), 'sku,name\na-1,Apple\n');
      assert.equal(await readText(await store.openRead('a.csv', { start: 4, end: 7 })), 'name');
      assert.deepEqual(await keys(store), ['a.csv', 'b.csv']);
      const listed = [];
      for await (const upload of store.list()) listed.push(upload);
      const a = listed.find((upload) => upload.key === 'a.csv');
      assert.equal(a?.size, 19);
      // Stores keep whole seconds at best: compare at that precision.
      assert.ok((a?.lastModified.getTime() ?? 0) >= Math.floor(started / 1000) * 1000 - 1000);

      await store.remove('a.csv');
      await store.remove('a.csv');
      assert.deepEqual(await keys(store), ['b.csv']);
      await store.remove('b.csv');
      assert.deepEqual(await keys(store), []);
    });

    test('a missing upload is a typed not-found error', async () => {
      const store = freshStore();
      await assert.rejects(store.openRead('missing.csv'), (error: unknown) => {
        assert.ok(isUploadNotFound(error));
        assert.equal(error.code, 'upload_not_found');
        assert.equal(error.key, 'missing.csv');
        return true;
      });
    });

    test('a key that could leave the folder or prefix is refused', async () => {
      const store = freshStore();
      for (const key of ['../escape.csv', 'a/b.csv', '.hidden', '']) {
        await assert.rejects(store.openRead(key), (error: unknown) => {
          assert.ok(error instanceof UploadStoreError);
          assert.equal(error.code, 'invalid_upload_key');
          return true;
        });
      }
    });

    test('40 MB go in and come out as streams, byte for byte', async () => {
      const store = freshStore();
      const size = 40 * MB;
      await store.put('big.csv', patternStream(size));
      const expected = await digest(patternStream(size));
      assert.deepEqual(await digest(await store.openRead('big.csv')), expected);
      const listed = [];
      for await (const upload of store.list()) listed.push(upload);
      assert.deepEqual(
        listed.map(({ key, size }) => ({ key, size })),
        [{ key: 'big.csv', size }],
      );
      await store.remove('big.csv');
    });

    test('a body that fails half-way leaves nothing under its key', async () => {
      const store = freshStore();
      let sent = 0;
      const failing = new Readable({
        read() {
          // Past one 5 MB part, so an S3 multipart upload has really begun before it is aborted.
          if (sent >= 6 * MB) {
            this.destroy(new Error('client went away'));
            return;
          }
          sent += MB;
          this.push(Buffer.alloc(MB, 0x61));
        },
      });
      await assert.rejects(store.put('broken.csv', failing), /client went away/);
      await assert.rejects(store.openRead('broken.csv'), (error: unknown) => isUploadNotFound(error));
      assert.deepEqual(await keys(store), []);
    });
  });
}

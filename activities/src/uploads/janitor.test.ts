import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createUploadRepository, type Database, openDatabase } from '@catalog/db';
import { jobWorkflowId } from '@catalog/domain';
import { createUploadStore, type UploadStore } from '@catalog/uploads';
import { testConfig } from '../../../tests/support/config';
import { s3TestSettings } from '../../../tests/support/uploads';
import { sweepUploads } from './janitor';

/**
 * The janitor against real stores and the real jobs table: an old file goes unless a queued or
 * running job still needs it; a young one stays whoever references it.
 */
const DAY_MS = 24 * 3_600_000;
const root = mkdtempSync(path.join(tmpdir(), 'catalog-janitor-'));
const s3 = s3TestSettings();
let db: Database;
const jobIds: string[] = [];

before(async () => {
  db = await openDatabase({ databaseUrl: testConfig().DATABASE_URL, poolSize: 2 });
});
after(async () => {
  await db?.pool.query(`delete from jobs where id = any($1::uuid[])`, [jobIds]);
  await db?.close();
  await rm(root, { recursive: true, force: true });
});

async function job(status: string, key: string) {
  const id = randomUUID();
  jobIds.push(id);
  await db.pool.query(`insert into jobs (id, kind, status, workflow_id, file_path) values ($1, 'import', $2, $3, $4)`, [
    id,
    status,
    jobWorkflowId('import', id),
    key,
  ]);
}

async function stored(store: UploadStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const upload of store.list()) keys.push(upload.key);
  return keys.sort();
}

const stores = [
  { kind: 'fs', skip: false as const, env: () => ({ UPLOAD_STORE: 'fs', UPLOAD_DIR: mkdtempSync(`${root}/`) }) },
  {
    kind: 's3',
    skip: 'skip' in s3 ? s3.skip : false,
    env: () => ('env' in s3 ? s3.env : {}),
  },
];

for (const { kind, skip, env } of stores) {
  describe(`upload janitor (${kind} store)`, { skip }, () => {
    test('removes files older than a day that no unfinished job needs, and nothing else', async () => {
      const uploads = createUploadStore(testConfig(env()));
      try {
        const key = (name: string) => `${name}-${randomUUID()}.csv`;
        const queued = key('queued');
        const running = key('running');
        const completed = key('completed');
        const failed = key('failed');
        const orphan = key('orphan');
        for (const k of [queued, running, completed, failed, orphan]) {
          await uploads.put(k, Readable.from([Buffer.from('sku,name\n')]));
        }
        await job('queued', queued);
        await job('running', running);
        await job('completed', completed);
        await job('failed', failed);

        assert.deepEqual(await sweepUploads({ db, uploads }), [], 'nothing is a day old yet');
        assert.equal((await stored(uploads)).length, 5);

        const tomorrow = new Date(Date.now() + DAY_MS + 60_000);
        const removed = await sweepUploads({ db, uploads, now: tomorrow });
        assert.deepEqual(removed.sort(), [completed, failed, orphan].sort());
        assert.deepEqual(await stored(uploads), [queued, running].sort());
      } finally {
        uploads.close();
      }
    });
  });
}

describe('upload janitor (upload rows)', () => {
  test('forgets uploads never mapped once they are a day old, and keeps younger ones', async () => {
    const uploads = createUploadStore(testConfig({ UPLOAD_STORE: 'fs', UPLOAD_DIR: mkdtempSync(`${root}/`) }));
    const repository = createUploadRepository(db);
    const actor = { kind: 'user' as const, id: randomUUID(), role: 'editor' as const, label: 'janitor test' };
    const upload = () => ({
      id: randomUUID(),
      fileKey: `upload-${randomUUID()}.csv`,
      fileName: 'products.csv',
      bytes: 9,
      delimiter: ',',
      headers: ['sku', 'name'],
      signature: randomUUID(),
    });
    const old = upload();
    const young = upload();
    try {
      await repository.create(actor, old);
      await repository.create(actor, young);
      await db.pool.query(`update uploads set created_at = now() - interval '25 hours' where id = $1`, [old.id]);

      await sweepUploads({ db, uploads });

      const { rows } = await db.pool.query<{ id: string }>(`select id from uploads where id = any($1::uuid[])`, [
        [old.id, young.id],
      ]);
      assert.deepEqual(
        rows.map((row) => row.id),
        [young.id],
      );
    } finally {
      await db.pool.query(`delete from uploads where id = any($1::uuid[])`, [[old.id, young.id]]);
      uploads.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UploadStore } from '@catalog/uploads';
import type { Api } from '../../../../tests/support/api';
import { accepted, errorBody, finalEvent, upload } from '../../../../tests/support/imports';
import { type Stack, startStack } from '../../../../tests/support/stack';
import { s3TestSettings } from '../../../../tests/support/uploads';

/**
 * Uploads and imports with UPLOAD_STORE=s3 against the real S3-compatible server `npm test` starts
 * (rclone serve s3), under a prefix of this file's own: the API streams the multipart body into the
 * bucket, the worker streams it back out, and the object goes when the job ends.
 */
const s3 = s3TestSettings();
let stack: Stack;
let api: Api;

describe('uploads in an S3 store', { skip: 'skip' in s3 ? s3.skip : false }, () => {
  before(async () => {
    if ('skip' in s3) return;
    stack = await startStack({ isolated: true, worker: false, env: { ...s3.env, UPLOAD_MAX_BYTES: '200000' } });
    api = await stack.as('editor');
  });
  after(async () => {
    await stack?.stop();
  });

  const storedKeys = async (store: UploadStore) => {
    const keys: string[] = [];
    for await (const object of store.list()) keys.push(object.key);
    return keys;
  };
  const jobFile = async (jobId: string) => {
    const { rows } = await stack.deps.db.pool.query<{ file_path: string }>(`select file_path from jobs where id = $1`, [
      jobId,
    ]);
    return rows[0]?.file_path;
  };

  test('an upload is imported from the bucket, and its object is removed when the job ends', async () => {
    assert.equal(stack.deps.uploads.kind, 's3');
    await stack.startWorker();
    const lines = ['sku,name,price,active'];
    for (let i = 0; i < 3_000; i++) lines.push(`s3-${i},Item ${i} from s3,${i}.50,${i % 2 ? 'yes' : 'no'}`);
    const response = await upload(api, `${lines.join('\n')}\n`);
    assert.equal(response.status, 202);
    const { jobId } = await accepted(response);
    const key = await jobFile(jobId);
    assert.match(key ?? '', /^[0-9a-f-]{36}\.csv$/);

    const final = await finalEvent(api, jobId);
    assert.equal(final.event, 'completed', JSON.stringify(final.data.error));
    assert.equal(final.data.result?.inserted, 3_000);
    const { rows } = await stack.deps.db.pool.query<{ n: number; total: string; active: number }>(
      `select count(*)::int as n, sum(price)::text as total, count(*) filter (where active)::int as active
       from products where sku like 's3-%'`,
    );
    // Σ (i + 0.5) for i < 3000 = 4,498,500 + 1,500.
    assert.deepEqual(rows[0], { n: 3_000, total: '4500000.00', active: 1_500 });
    assert.deepEqual(await storedKeys(stack.deps.uploads), []);
  });

  test('refused uploads leave nothing in the bucket', async () => {
    const refusals: [string | Uint8Array, number][] = [
      ['', 400],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]), 415],
      [new Uint8Array([0x73, 0x6b, 0x75, 0x2c, 0xe9, 0x0a]), 415],
      ['code,title\n1,2\n', 400],
      [`sku,name\n${'x,y\n'.repeat(60_000)}`, 413],
    ];
    for (const [body, status] of refusals) {
      const response = await upload(api, body);
      assert.equal(response.status, status, JSON.stringify(await errorBody(response)));
    }
    assert.deepEqual(await storedKeys(stack.deps.uploads), []);
  });

  test('an upload missing from the bucket fails its import with a message, not endless retries', async () => {
    const response = await upload(api, 'sku,name\ngone-1,Gone\n');
    const { jobId } = await accepted(response);
    const key = await jobFile(jobId);
    assert.ok(key);
    await stack.deps.uploads.remove(key);
    await stack.startWorker();
    const final = await finalEvent(api, jobId);
    assert.equal(final.event, 'failed');
    assert.match(final.data.error?.message ?? '', /no longer in the upload store/);
  });
});

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { openDatabase } from '@catalog/db';
import { z } from 'zod';
import { requestAs } from '../../../tests/support/auth';
import { type Stack, startStack } from '../../../tests/support/stack';
import { createApp } from '../app';
import { createHttpServer } from '../http-server';

/** Request deadlines, the server's socket limits, and the API's PostgreSQL session timeouts. */
let stack: Stack;
before(async () => {
  stack = await startStack({
    worker: false,
    env: { REQUEST_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '1000' },
  });
});
after(async () => {
  await stack?.stop();
});

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

test('a request whose body never finishes arriving is answered 504 deadline_exceeded, and the socket closed', async () => {
  const { key } = await stack.keyFor('editor');
  const started = Date.now();
  const answer = await new Promise<{ status: number; connection: string | undefined; body: string }>(
    (resolve, reject) => {
      const req = request(`${stack.baseUrl}/api/products`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': '100' },
      });
      req.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }),
        );
      });
      req.on('error', reject);
      // A tenth of the promised body, then nothing: a slow-loris client.
      req.write('{"sku": "x"');
    },
  );
  const elapsed = Date.now() - started;
  assert.equal(answer.status, 504);
  assert.equal(errorBody.parse(JSON.parse(answer.body)).error.code, 'deadline_exceeded');
  assert.equal(answer.connection, 'close');
  assert.ok(elapsed >= 900 && elapsed < 5_000, `answered after ${elapsed} ms`);
});

test('requests within the deadline are unaffected', async () => {
  const response = await requestAs(stack.baseUrl, await stack.keyFor('viewer'), '/api/products?pageSize=1');
  assert.equal(response.status, 200);
});

test('the server limits how long headers and whole requests may take (never 0, which is forever)', async () => {
  const server = createHttpServer(createApp(stack.deps), stack.config);
  assert.equal(server.headersTimeout, 1000);
  assert.equal(server.requestTimeout, stack.config.UPLOAD_TIMEOUT_MS);
  assert.ok(server.requestTimeout > 0);
});

test("the API's connections carry statement_timeout and idle_in_transaction_session_timeout; the worker's do not", async () => {
  const show = async (pool: typeof stack.deps.db.pool, setting: string) =>
    (await pool.query<Record<string, string>>(`show ${setting}`)).rows[0]?.[setting];
  assert.equal(await show(stack.deps.db.pool, 'statement_timeout'), '1s');
  assert.equal(await show(stack.deps.db.pool, 'idle_in_transaction_session_timeout'), '30s');
  await assert.rejects(stack.deps.db.pool.query('select pg_sleep(3)'), { code: '57014' }, 'cancelled by the server');

  const defaults = await startStack({ worker: false });
  try {
    assert.equal(await show(defaults.deps.db.pool, 'statement_timeout'), '20s');
    assert.equal(await show(defaults.deps.db.pool, 'idle_in_transaction_session_timeout'), '30s');
  } finally {
    await defaults.stop();
  }

  // As the worker opens its database: long batch statements are bounded by Temporal, not by PostgreSQL.
  const workerDb = await openDatabase({ databaseUrl: stack.config.DATABASE_URL, poolSize: 1 });
  try {
    assert.equal(await show(workerDb.pool, 'statement_timeout'), '0');
  } finally {
    await workerDb.close();
  }
});

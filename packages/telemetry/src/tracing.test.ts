import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import root from '@opentelemetry/otlp-transformer/build/src/generated/root.js';
import { z } from 'zod';
import { type Api, apiAs } from '../../../tests/support/api';
import { apiKeyInDatabase } from '../../../tests/support/api-keys';
import { isolatedDatabase } from '../../../tests/support/database';
import { getImport, pollUntil, startImport } from '../../../tests/support/imports';
import { type AppProcess, freePort, spawnEntry } from '../../../tests/support/processes';

/**
 * The API and the worker as processes of their own, exporting to a real OTLP/HTTP receiver in this
 * test: one import must be one connected trace from the HTTP request to the SQL.
 */
type Codec = { decode: (bytes: Uint8Array) => object; toObject: (message: object, options: object) => unknown };
const isCodec = (value: unknown): value is Codec =>
  typeof value === 'function' &&
  typeof Reflect.get(value, 'decode') === 'function' &&
  typeof Reflect.get(value, 'toObject') === 'function';
// The exporter's own generated protobuf code: a namespace of static classes (its typings say Root).
const exportRequest = 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'
  .split('.')
  .reduce<unknown>(
    (node, key) => (typeof node === 'object' && node !== null ? Reflect.get(node, key) : undefined),
    root,
  );
if (!isCodec(exportRequest)) throw new Error('ExportTraceServiceRequest not found in @opentelemetry/otlp-transformer');
const attribute = z.object({ key: z.string(), value: z.object({ stringValue: z.string().optional() }) });
const spanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.number(),
  attributes: z.array(attribute).default([]),
});
const requestSchema = z.object({
  resourceSpans: z
    .array(z.object({ scopeSpans: z.array(z.object({ spans: z.array(spanSchema).default([]) })).default([]) }))
    .default([]),
});
type Span = z.infer<typeof spanSchema>;
const SERVER = 2;

const spans: Span[] = [];
let receiver: Server;
let api: AppProcess;
let worker: AppProcess;
let editor: Api;
let database: Awaited<ReturnType<typeof isolatedDatabase>>;

before(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type'] === 'application/x-protobuf') {
        const decoded = exportRequest.toObject(exportRequest.decode(Buffer.concat(chunks)), {
          bytes: String,
          longs: String,
          enums: Number,
        });
        for (const resource of requestSchema.parse(decoded).resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  // A database of its own: on the shared one, other test files' jobs would queue ahead of its import.
  database = await isolatedDatabase();
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    HOST: '127.0.0.1',
    PORT: String(port),
    WORKER_HEALTH_PORT: '0',
    // The start-up lines this test waits for are at info.
    LOG_LEVEL: 'info',
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    UPLOAD_DIR: await mkdtemp(path.join(tmpdir(), 'catalog-uploads-')),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    // The SDK's own setting: export within 100 ms instead of 5 s, so the test waits less.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  };
  [api, worker] = [spawnEntry('api', env), spawnEntry('worker', env)];
  await Promise.all([
    api.waitForLine((line) => line.includes('"api listening"')),
    worker.waitForLine((line) => line.includes('"worker started"')),
  ]);
  editor = apiAs(`http://127.0.0.1:${port}`, await apiKeyInDatabase(database.url, 'editor'));
});
after(async () => {
  for (const app of [api, worker]) if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  receiver?.close();
  await database?.drop();
});

const attr = (span: Span, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;

function ancestors(span: Span): Span[] {
  const byId = new Map(spans.filter((s) => s.traceId === span.traceId).map((s) => [s.spanId, s]));
  const chain: Span[] = [];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) {
    chain.push(parent);
  }
  return chain;
}

test("one import's spans form one trace: HTTP request → StartWorkflow → workflow → activity → SQL", async () => {
  const jobId = await startImport(editor, `sku,name,price\ntrace-${randomUUID()},Traced,1.50\n`);
  const finished = await pollUntil(
    'the import to finish',
    () => getImport(editor, jobId),
    (job) => job.status !== 'queued' && job.status !== 'running',
  );
  assert.equal(finished.status, 'completed', JSON.stringify(finished.error));

  const isRequest = (s: Span) =>
    s.kind === SERVER && attr(s, 'http.method') === 'POST' && attr(s, 'http.target') === '/api/imports';
  // A SQL statement whose chain of parents reaches the upload request through an activity.
  const sqlUnderActivity = (s: Span) =>
    attr(s, 'db.system') === 'postgresql' &&
    ancestors(s).some((a) => a.name.startsWith('RunActivity:')) &&
    ancestors(s).some(isRequest);
  const sql = await pollUntil(
    'a traced SQL statement under an activity of the import',
    async () => spans.find(sqlUnderActivity),
    (found) => found !== undefined,
  );
  assert.ok(sql);
  const names = ancestors(sql).map((s) => s.name);
  assert.ok(names.includes('StartWorkflow:ImportCsvWorkflow'), names.join(' ← '));
  assert.ok(names.includes('RunWorkflow:ImportCsvWorkflow'), names.join(' ← '));
  const request = ancestors(sql).find(isRequest);
  assert.ok(request, names.join(' ← '));
  assert.equal(sql.traceId, request.traceId);
  assert.equal(ancestors(request).length, 0, 'the request span is the root of the trace');
});

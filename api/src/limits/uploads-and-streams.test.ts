import assert from 'node:assert/strict';
import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { signedInUser, type TestUser } from '../../../tests/support/auth';
import { type Stack, startStack } from '../../../tests/support/stack';

/** Uploads per user (in flight, bytes per hour) and event streams per user. */
let stack: Stack;
before(async () => {
  stack = await startStack({
    worker: false,
    env: { UPLOADS_IN_FLIGHT_PER_USER: '2', UPLOAD_BYTES_PER_HOUR_PER_USER: '4096', SSE_STREAMS_PER_USER: '2' },
  });
});
after(async () => {
  await stack?.stop();
});

type SignedIn = TestUser & { cookie: string };
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const CSV_HEADER = 'sku,name,price\r\n';

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
}

function uploadCsv(user: SignedIn, csv: string): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'catalog.csv');
  return fetch(`${stack.baseUrl}/api/imports`, {
    method: 'POST',
    body: form,
    headers: { cookie: user.cookie, origin: stack.baseUrl },
  });
}

/** An upload that has sent its first bytes and then waits: it stays in flight until destroyed. */
function stalledUpload(user: SignedIn): ClientRequest {
  const boundary = 'stalled-upload-boundary';
  const req = request(`${stack.baseUrl}/api/imports`, {
    method: 'POST',
    headers: {
      cookie: user.cookie,
      origin: stack.baseUrl,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
  });
  req.on('error', () => undefined);
  req.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\n` +
      `Content-Type: text/csv\r\n\r\n${CSV_HEADER}`,
  );
  return req;
}

async function assertLimited(response: Response, message: RegExp): Promise<void> {
  assert.equal(response.status, 429);
  assert.ok(Number(response.headers.get('retry-after')) > 0, 'Retry-After in seconds');
  const { error } = errorBody.parse(await response.json());
  assert.equal(error.code, 'rate_limited');
  assert.match(error.message, message);
}

test('a user with the allowed uploads in flight is refused another until one ends; other users are not', async () => {
  const user = await signedInUser(stack, 'editor');
  const inFlight = () => stack.deps.limits.uploads.inFlight.held(`user:${user.id}`);
  const stalled = [stalledUpload(user), stalledUpload(user)];
  try {
    await eventually(() => inFlight() === 2, 'both uploads are in flight');
    await assertLimited(await uploadCsv(user, `${CSV_HEADER}A-1,One,1\r\n`), /at most 2 uploads/i);

    const other = await signedInUser(stack, 'editor');
    assert.equal((await uploadCsv(other, `${CSV_HEADER}B-1,One,1\r\n`)).status, 202, 'limits are per user');

    stalled[0]?.destroy();
    await eventually(() => inFlight() === 1, 'the abandoned upload is no longer in flight');
    assert.equal((await uploadCsv(user, `${CSV_HEADER}A-2,Two,2\r\n`)).status, 202);
  } finally {
    for (const req of stalled) req.destroy();
  }
  await eventually(() => inFlight() === 0, 'nothing is left in flight');
});

test('uploads are limited in bytes per hour per user, counting what was received', async () => {
  const user = await signedInUser(stack, 'editor');
  const tooLarge = `${CSV_HEADER}${'X-1,Name,1\r\n'.repeat(400)}`;
  await assertLimited(await uploadCsv(user, tooLarge), /4096 bytes per hour/);

  const small = `${CSV_HEADER}${'S-1,Name,1\r\n'.repeat(100)}`;
  assert.equal((await uploadCsv(user, small)).status, 202);
  const used = await stack.deps.limits.uploads.bytes.get(`user:${user.id}`);
  assert.ok((used?.consumedPoints ?? 0) >= small.length, `counted ${used?.consumedPoints} bytes`);

  // Under the limit alone, but not with what this hour already took.
  await assertLimited(await uploadCsv(user, `${CSV_HEADER}${'T-1,Name,1\r\n'.repeat(250)}`), /are left this hour/);
});

/** Opens an event stream and resolves once its answer has started. */
function openStream(key: string): Promise<{ response: IncomingMessage; req: ClientRequest }> {
  return new Promise((resolve, reject) => {
    const req = request(`${stack.baseUrl}/api/products/events`, { headers: { authorization: `Bearer ${key}` } });
    req.on('response', (response) => resolve({ response, req }));
    req.on('error', reject);
    req.end();
  });
}

test('a user may hold only the allowed event streams; the next is refused with 429 until one closes', async () => {
  const { key } = await stack.keyFor('editor');
  const open = [await openStream(key), await openStream(key)];
  try {
    for (const { response } of open) assert.equal(response.statusCode, 200);
    const refused = await fetch(`${stack.baseUrl}/api/products/events`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.match(refused.headers.get('content-type') ?? '', /application\/json/);
    await assertLimited(refused, /at most 2 event streams/i);

    const other = await openStream((await stack.keyFor('viewer')).key);
    assert.equal(other.response.statusCode, 200, 'limits are per user');
    other.req.destroy();

    open[0]?.req.destroy();
    let reopened: Awaited<ReturnType<typeof openStream>> | null = null;
    for (let attempt = 0; attempt < 50 && !reopened; attempt++) {
      const next = await openStream(key);
      if (next.response.statusCode === 200) reopened = next;
      else {
        next.req.destroy();
        await sleep(100);
      }
    }
    assert.ok(reopened, 'a stream can be opened again once one closed');
    reopened.req.destroy();
  } finally {
    for (const { req } of open) req.destroy();
  }
});

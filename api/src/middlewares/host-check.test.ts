import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { z } from 'zod';
import { type Api, apiAs } from '../../../tests/support/api';
import { getWithHost } from '../../../tests/support/raw-http';
import { type Stack, startStack } from '../../../tests/support/stack';
import { allowedHosts } from './allowed-hosts';
import { hostCheckMiddleware } from './host-check';

/** The API answers only for its configured hosts, so a DNS-rebinding page gets 421, not the catalog. */
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

describe('a running API with PUBLIC_URL and ALLOWED_HOSTS', () => {
  let stack: Stack;
  let port: string;
  let viewer: Api;
  before(async () => {
    stack = await startStack({
      worker: false,
      env: { PUBLIC_URL: 'https://catalog.example.com', ALLOWED_HOSTS: 'catalog.internal' },
    });
    port = new URL(stack.baseUrl).port;
    // The host is checked before the credentials: a wrong one is a 421 whoever asks.
    viewer = await stack.as('viewer');
  });
  after(async () => {
    await stack?.stop();
  });

  test('a request naming another host gets 421 misdirected_request, on the API and the web app', async () => {
    for (const path of ['/api/products', '/', '/api/docs']) {
      const response = await getWithHost(viewer, path, `evil.example:${port}`);
      assert.equal(response.status, 421, path);
      const { error } = errorBody.parse(JSON.parse(response.body));
      assert.equal(error.code, 'misdirected_request');
      assert.match(error.message, /does not answer for host evil\.example:\d+; set PUBLIC_URL/);
    }
  });

  test("the localhost forms, PUBLIC_URL's host and ALLOWED_HOSTS are answered, on any port", async () => {
    const hosts = [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      '[::1]:8080',
      'LOCALHOST',
      'catalog.example.com',
      'catalog.example.com:443',
      'catalog.internal:8443',
    ];
    for (const host of hosts) {
      assert.equal((await getWithHost(viewer, '/api/meta', host)).status, 200, host);
    }
  });

  test('a look-alike of an allowed host is refused', async () => {
    for (const host of ['catalog.example.com.evil.example', 'localhost.evil.example', 'evil-catalog.internal']) {
      assert.equal((await getWithHost(viewer, '/api/meta', host)).status, 421, host);
    }
  });

  test('/health/* and /metrics answer any host: probes and scrapers call the pod by IP', async () => {
    assert.equal((await getWithHost(viewer, '/health/live', '10.1.2.3:3000')).status, 200);
    assert.equal((await getWithHost(viewer, '/metrics', '10.1.2.3:3000')).status, 200);
    assert.equal(
      (await getWithHost(apiAs(stack.baseUrl, null), '/metrics', '10.1.2.3:3000')).status,
      401,
      '/metrics needs a key',
    );
  });
});

describe('the hosts configuration allows', () => {
  const base = { ALLOWED_HOSTS: [] };
  test('outside production: the localhost forms and PUBLIC_URL', () => {
    const hosts = allowedHosts({ ...base, NODE_ENV: 'development', PUBLIC_URL: 'http://catalog.lan:3000' });
    assert.deepEqual([...hosts.names].sort(), ['127.0.0.1', '[::1]', 'catalog.lan', 'localhost']);
    assert.equal(hosts.publicOrigin, 'http://catalog.lan:3000');
    assert.equal(hosts.localOnly, false);
  });
  test('in production with PUBLIC_URL: only its host and ALLOWED_HOSTS, never localhost', () => {
    const hosts = allowedHosts({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://Catalog.Example.com/',
      ALLOWED_HOSTS: ['catalog.internal'],
    });
    assert.deepEqual([...hosts.names].sort(), ['catalog.example.com', 'catalog.internal']);
    assert.equal(hosts.publicOrigin, 'https://catalog.example.com');
  });
  test('in production without PUBLIC_URL: the localhost forms only, and it says so', () => {
    const hosts = allowedHosts({ ...base, NODE_ENV: 'production', PUBLIC_URL: undefined });
    assert.deepEqual([...hosts.names].sort(), ['127.0.0.1', '[::1]', 'localhost']);
    assert.equal(hosts.localOnly, true);
  });
});

test('in production without PUBLIC_URL the API says once, at start, that it answers only localhost', () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  const local = allowedHosts({ NODE_ENV: 'production', PUBLIC_URL: undefined, ALLOWED_HOSTS: [] });
  hostCheckMiddleware(local, logger);
  const published = allowedHosts({ NODE_ENV: 'production', PUBLIC_URL: 'https://c.example', ALLOWED_HOSTS: [] });
  hostCheckMiddleware(published, logger);
  assert.equal(lines.length, 1);
  assert.match(JSON.parse(lines[0] ?? '{}').msg, /PUBLIC_URL is not set: answering only requests for localhost/);
});

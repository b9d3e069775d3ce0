import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiAs } from '../../../tests/support/api';
import { getWithHost } from '../../../tests/support/raw-http';
import { type Stack, startStack } from '../../../tests/support/stack';

/** Every response carries the security headers; HSTS only where PUBLIC_URL is https. */
const directives = (csp: string | null) =>
  new Map(
    (csp ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name, values.join(' ')]),
  );

function assertCommonHeaders(headers: Headers, what: string) {
  assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(headers.get('x-frame-options'), 'DENY', what);
  assert.equal(headers.get('cross-origin-opener-policy'), 'same-origin', what);
  const csp = directives(headers.get('content-security-policy'));
  assert.equal(csp.get('frame-ancestors'), "'none'", what);
  assert.equal(csp.get('object-src'), "'none'", what);
  assert.equal(csp.get('base-uri'), "'none'", what);
  assert.equal(csp.get('form-action'), "'self'", what);
  assert.equal(csp.get('connect-src'), "'self'", what);
  assert.equal(csp.get('script-src'), "'self'", `${what}: no inline or eval'd script`);
  return csp;
}

describe('over plain http (no PUBLIC_URL)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ worker: false });
  });
  after(async () => {
    await stack?.stop();
  });

  // Anonymous: /api/products is a 401, an error that carries them like any other answer.
  test('the web app, the API, its errors and the docs assets carry them, without HSTS', async () => {
    const paths = ['/', '/products', '/api/products', '/api/no-such-route', '/api/openapi.json', '/api/docs/init.js'];
    for (const path of paths) {
      const response = await fetch(`${stack.baseUrl}${path}`, { headers: { accept: 'text/html' } });
      const csp = assertCommonHeaders(response.headers, path);
      assert.equal(csp.get('style-src'), "'self'", path);
      assert.equal(csp.get('img-src'), "'self'", path);
      assert.equal(csp.has('upgrade-insecure-requests'), false, path);
      assert.equal(response.headers.get('strict-transport-security'), null, path);
    }
  });

  test('the docs page alone may show data: images, as Swagger UI does, and nothing inline', async () => {
    const response = await fetch(`${stack.baseUrl}/api/docs`);
    assert.equal(response.status, 200);
    const csp = assertCommonHeaders(response.headers, '/api/docs');
    assert.equal(csp.get('style-src'), "'self'");
    assert.equal(csp.get('img-src'), "'self' data:");
  });

  test('a refused host still gets them', async () => {
    const response = await getWithHost(apiAs(stack.baseUrl, null), '/api/products', 'evil.example');
    assert.equal(response.status, 421);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
  });
});

describe('with an https PUBLIC_URL', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ worker: false, env: { PUBLIC_URL: 'https://catalog.example.com' } });
  });
  after(async () => {
    await stack?.stop();
  });

  test('HSTS pins this host to https for a year and the CSP upgrades insecure requests', async () => {
    for (const path of ['/', '/api/products']) {
      const response = await fetch(`${stack.baseUrl}${path}`);
      assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000', path);
      assert.ok(directives(response.headers.get('content-security-policy')).has('upgrade-insecure-requests'), path);
    }
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SSO_ERROR_MESSAGES, sameSitePath, ssoErrorMessage } from './sso';

test('a path of this app is kept as browsers resolve it', () => {
  assert.equal(sameSitePath('/products?q=tea#top'), '/products?q=tea#top');
  assert.equal(sameSitePath('/a/../import'), '/import');
  assert.equal(sameSitePath('/'), '/');
});

test('anything that would leave the site, or is not a path, becomes /', () => {
  const offSite = ['//evil.example', '/\\evil.example', '/\t/evil.example', '/.//evil.example', 'https://evil.example'];
  for (const next of [...offSite, 'products', '', undefined, ['/a'], `/${'a'.repeat(3000)}`]) {
    assert.equal(sameSitePath(next), '/', JSON.stringify(next));
  }
});

test('error codes have messages; an unknown code has none', () => {
  assert.equal(ssoErrorMessage('sso_no_role'), SSO_ERROR_MESSAGES.sso_no_role);
  assert.equal(ssoErrorMessage('constructor'), null);
  assert.equal(ssoErrorMessage('<script>'), null);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAddressKey } from './client-address';

test('IPv4 addresses count on their own, also when mapped into IPv6', () => {
  assert.equal(clientAddressKey('203.0.113.7'), '203.0.113.7');
  assert.equal(clientAddressKey('::ffff:203.0.113.7'), '203.0.113.7');
});

test('IPv6 addresses count by their /64, however they are written', () => {
  const key = '2001:db8:1:2::/64';
  assert.equal(clientAddressKey('2001:db8:1:2::1'), key);
  assert.equal(clientAddressKey('2001:0db8:0001:0002:abcd:ef01:2345:6789'), key);
  assert.equal(clientAddressKey('2001:DB8:1:2:0:0:0:9%eth0'), key);
  assert.equal(clientAddressKey('::1'), '0:0:0:0::/64');
  assert.notEqual(clientAddressKey('2001:db8:1:3::1'), key);
});

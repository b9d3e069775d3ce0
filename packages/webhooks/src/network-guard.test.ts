import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertPublicDestination, ForbiddenDestinationError, isForbiddenAddress } from './network-guard';

test('loopback, private, link-local, metadata and reserved addresses are forbidden', () => {
  for (const address of [
    '127.0.0.1',
    '127.8.9.10',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-address',
  ]) {
    assert.equal(isForbiddenAddress(address), true, address);
  }
});

test('public addresses are allowed', () => {
  for (const address of [
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '192.169.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ]) {
    assert.equal(isForbiddenAddress(address), false, address);
  }
});

test('the save-time check refuses a host name that resolves to loopback, and IP literals in brackets', async () => {
  await assert.rejects(assertPublicDestination(new URL('http://localhost:8080/hook')), ForbiddenDestinationError);
  await assert.rejects(assertPublicDestination(new URL('http://[::1]/hook')), /::1/);
  await assertPublicDestination(new URL('https://93.184.215.14/hook'));
});

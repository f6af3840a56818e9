import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPrivateAddress, publicOnlyConnection, publicOnlyLookup } from './public-address.js';

test('loopback, private, link-local, metadata and mapped addresses are private', () => {
  for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '224.0.0.1', 'not-an-ip']) {
    assert.equal(isPrivateAddress(address), true, address);
  }
});

test('public addresses are not', () => {
  for (const address of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '2606:4700:4700::1111']) assert.equal(isPrivateAddress(address), false, address);
});

test('a URL naming a private address is refused before connecting; a name connects through the checking lookup', () => {
  assert.deepEqual(publicOnlyConnection(new URL('http://169.254.169.254/latest/meta-data'), false), { refused: '169.254.169.254' });
  assert.deepEqual(publicOnlyConnection(new URL('http://[::1]:8080/'), false), { refused: '::1' });
  assert.deepEqual(publicOnlyConnection(new URL('https://example.com/hook'), false), { lookup: publicOnlyLookup });
  assert.deepEqual(publicOnlyConnection(new URL('https://8.8.8.8/'), false), { lookup: publicOnlyLookup });
  assert.deepEqual(publicOnlyConnection(new URL('http://10.0.0.1/'), true), {});
});

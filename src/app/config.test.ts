import assert from 'node:assert/strict';
import { it } from 'node:test';
import { listeningUrl, readConfig } from './config.js';

it('reads PLINTH_PUBLIC_URL without its trailing slash, and refuses what is no http(s) URL', () => {
  assert.equal(readConfig({ PLINTH_PUBLIC_URL: 'https://api.example.com/' }).publicUrl, 'https://api.example.com');
  assert.equal(readConfig({ PLINTH_PUBLIC_URL: 'https://example.com/plinth/' }).publicUrl, 'https://example.com/plinth');
  assert.equal(readConfig({}).publicUrl, undefined);
  for (const bad of ['api.example.com', 'ftp://api.example.com', 'https://api.example.com/?x=1', 'https://user:pw@api.example.com']) {
    assert.throws(() => readConfig({ PLINTH_PUBLIC_URL: bad }), /^Error: PLINTH_PUBLIC_URL must/, bad);
  }
});

it('without a public URL the server is named by its listening address', () => {
  assert.equal(listeningUrl('0.0.0.0', 8080), 'http://localhost:8080');
  assert.equal(listeningUrl('127.0.0.1', 3000), 'http://127.0.0.1:3000');
  assert.equal(listeningUrl('::1', 3000), 'http://[::1]:3000');
});

it('custom domains verify against PLINTH_DOMAIN unless told otherwise, asking the DNS servers listed', () => {
  const proxy = readConfig({ PLINTH_DOMAIN: 'Example.COM', PLINTH_DOMAIN_TARGET_A: '203.0.113.7, 198.51.100.1', PLINTH_DNS: '127.0.0.1:5353,[::1]:53,8.8.8.8', PLINTH_DOMAIN_DENY_LIST: 'Shop.example, app.example.' }).proxy;
  assert.deepEqual(proxy, {
    serverDomain: 'example.com',
    cnameTarget: 'example.com',
    aTargets: ['203.0.113.7', '198.51.100.1'],
    aaaaTargets: [],
    dnsServers: ['127.0.0.1:5353', '[::1]:53', '8.8.8.8'],
    deniedDomains: ['shop.example', 'app.example'],
  });
  assert.throws(() => readConfig({ PLINTH_DOMAIN_DENY_LIST: 'https://shop.example' }), /^Error: PLINTH_DOMAIN_DENY_LIST must/);
  assert.equal(readConfig({ PLINTH_DOMAIN: 'example.com', PLINTH_DOMAIN_TARGET_CNAME: 'edge.example.net' }).proxy.cnameTarget, 'edge.example.net');
  assert.equal(readConfig({}).proxy.cnameTarget, undefined);
  assert.throws(() => readConfig({ PLINTH_DOMAIN_TARGET_A: '2001:db8::1' }), /^Error: PLINTH_DOMAIN_TARGET_A must/);
  assert.throws(() => readConfig({ PLINTH_DOMAIN_TARGET_AAAA: '203.0.113.7' }), /^Error: PLINTH_DOMAIN_TARGET_AAAA must/);
  for (const bad of ['dns.google', '1.1.1.1:99999', 'localhost:53']) {
    assert.throws(() => readConfig({ PLINTH_DNS: bad }), /^Error: PLINTH_DNS must/, bad);
  }
});

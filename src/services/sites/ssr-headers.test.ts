import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ssrRequestHeaders, ssrResponseHeaders } from './ssr-headers.js';

const FORWARDED = { host: 'kit.sites.example.com', proto: 'https', clientIp: '203.0.113.9' };

describe('headers between a visitor and a site server', () => {
  test('a request loses hop-by-hop headers, Plinth credentials, session cookies and forged forwarding', () => {
    const headers = ssrRequestHeaders(
      {
        host: 'kit.sites.example.com',
        connection: 'keep-alive, x-hop',
        'x-hop': 'gone',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        'x-appwrite-key': 'standard_secret',
        'x-fallback-cookies': '{}',
        'x-forwarded-for': '10.0.0.1',
        cookie: 'a_session_p1=secret; theme=dark; a_session_p1_legacy=secret',
        accept: 'text/html',
      },
      FORWARDED,
    );
    assert.deepEqual(headers, {
      host: 'kit.sites.example.com',
      accept: 'text/html',
      cookie: 'theme=dark',
      'x-forwarded-host': 'kit.sites.example.com',
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.9',
    });
  });

  test('an answer keeps its own cookies but sets no session cookie and none for a parent domain', () => {
    const headers = ssrResponseHeaders({
      'content-type': 'text/html',
      connection: 'close',
      'transfer-encoding': 'chunked',
      'x-fallback-cookies': '{"a_session_p1":"x"}',
      'set-cookie': ['theme=dark; Path=/', 'a_session_p1=stolen; Path=/', 'wide=1; Domain=example.com'],
    });
    assert.deepEqual(headers, { 'content-type': 'text/html', 'set-cookie': ['theme=dark; Path=/'] });
  });
});

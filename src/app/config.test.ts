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

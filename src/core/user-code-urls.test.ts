import assert from 'node:assert/strict';
import { it } from 'node:test';
import { reachesUserCode, type ServerHosts } from './user-code-urls.js';

const HOSTS: ServerHosts = { publicUrl: 'https://api.example.com', functionsDomain: 'functions.example.com' };
const reaches = (url: string, hosts = HOSTS) => reachesUserCode(new URL(url), hosts);

it('any host under the functions domain is user code', () => {
  assert.ok(reaches('https://billing.functions.example.com/done'));
  assert.ok(reaches('https://billing--shop.functions.example.com/'));
  assert.ok(reaches('https://a.b.functions.example.com/'));
  assert.ok(reaches('https://BILLING.Functions.Example.com./'));
});

it('a function\'s path form is user code on any host, however it is spelled', () => {
  for (const url of [
    'https://api.example.com/v1/functions/x/run?project=p',
    'https://api.example.com/v1/functions/x/run/deep/page',
    'http://localhost:8080/v1/functions/x/run',
    'http://127.0.0.1/v1/functions/x/run',
    'https://other-name-of-the-server.example.net/v1/functions/x/run',
    'https://api.example.com/%76%31/functions/x/run',
    'https://api.example.com/v1/x/../functions/x/run',
    'https://api.example.com/V1/Functions/x/Run',
    'https://api.example.com/v1//functions/x/run',
    'https://api.example.com/prefix/v1/functions/x/run',
    'https://api.example.com/%E0%A4%A',
  ]) {
    assert.ok(reaches(url), url);
  }
});

it('every API path of the server\'s own hosts is refused; pages elsewhere are not user code', () => {
  assert.ok(reaches('https://api.example.com/v1/account'));
  assert.ok(reaches('http://localhost:3000/v1'));
  assert.ok(reaches('https://plinth.example.com/base/v1/storage/x', { ...HOSTS, publicUrl: 'https://plinth.example.com/base' }));
  assert.ok(!reaches('https://api.example.com/auth/oauth2/success'));
  assert.ok(!reaches('http://localhost:5173/signed-in'));
  assert.ok(!reaches('https://app.example.com/v1/welcome'), 'an app may use /v1 paths of its own');
  assert.ok(!reaches('https://functions.example.com.evil.net/'));
});

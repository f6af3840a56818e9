import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ID, Webhooks } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'hooked';
const INVALID_EVENTS = 'Invalid `events` param: Value must a valid array no longer than 100 items and Event is not valid.';

describe('webhook settings are checked as Appwrite checks them', () => {
  let server: TestServer;
  let webhooks: Webhooks;

  before(async () => {
    // Private URLs are not allowed here, as on a server left as it comes.
    server = await TestServer.start();
    await server.createProject(PROJECT);
    webhooks = new Webhooks(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
  });
  after(() => server.stop());

  const settings = { name: 'Hook', url: 'https://hooks.example.com/in', events: ['users.*.create', 'users.*.update.email'] };

  test('events Appwrite knows are kept, at every depth; others are refused on create and update', async () => {
    const created = await webhooks.create({ webhookId: 'known', ...settings });
    assert.deepEqual(created.events, ['users.*.create', 'users.*.update.email']);
    const deep = ['databases.*.collections.*.documents.*.upsert', 'teams.*.memberships.*.update.status', 'buckets.*.files.*'];
    assert.deepEqual((await webhooks.update({ webhookId: 'known', ...settings, events: deep })).events, deep);
    for (const events of [['account.unknown', 'users.*.update.email'], ['buckets.*.files.*.unknown'], ['users.*.update.unknown'], ['users']]) {
      await rejectsWith(webhooks.create({ webhookId: ID.unique(), ...settings, events }), 400, 'general_argument_invalid', INVALID_EVENTS);
      await rejectsWith(webhooks.update({ webhookId: 'known', ...settings, events }), 400, 'general_argument_invalid', INVALID_EVENTS);
    }
    await rejectsWith(webhooks.create({ webhookId: ID.unique(), ...settings, events: Array(101).fill('users.*') }), 400, 'general_argument_invalid', INVALID_EVENTS);
    assert.deepEqual((await webhooks.get({ webhookId: 'known' })).events, deep);
  });

  test('the URL is http(s) on a public domain', async () => {
    for (const url of ['invalid://appwrite.io', 'appwrite.io/new', 'ftp://hooks.example.com']) {
      await rejectsWith(webhooks.create({ webhookId: ID.unique(), ...settings, url }), 400, 'general_argument_invalid', 'Invalid `url` param: Value must be a valid URL with following schemes (http, https)');
    }
    for (const url of ['http://localhost/webhook', 'http://127.0.0.1:8080/in', 'http://10.1.2.3/in', 'http://[::1]/in', 'http://receiver:5000/in', 'https://hooks.internal/in', 'http://8.8.8.8/in']) {
      await rejectsWith(webhooks.create({ webhookId: ID.unique(), ...settings, url }), 400, 'general_argument_invalid', 'Invalid `url` param: Value must be a public domain');
      await rejectsWith(webhooks.update({ webhookId: 'known', ...settings, url }), 400, 'general_argument_invalid', 'Invalid `url` param: Value must be a public domain');
    }
    assert.equal((await webhooks.update({ webhookId: 'known', ...settings, url: 'http://hooks.example.org:8080/in' })).url, 'http://hooks.example.org:8080/in');
  });

  test('certificates are checked unless `tls` is false; basic auth is cleared when left out', async () => {
    const plain = await webhooks.create({ webhookId: 'plain', ...settings, tls: false, authUsername: 'username', authPassword: 'password' });
    assert.deepEqual([plain.tls, plain.authUsername, plain.authPassword], [false, 'username', 'password']);
    assert.equal((await webhooks.create({ webhookId: 'checked', ...settings })).tls, true);
    const updated = await webhooks.update({ webhookId: 'plain', ...settings, tls: true });
    assert.deepEqual([updated.tls, updated.authUsername, updated.authPassword], [true, '', '']);
    assert.equal((await webhooks.update({ webhookId: 'plain', ...settings, tls: false })).tls, false);
    assert.equal((await webhooks.update({ webhookId: 'plain', ...settings })).tls, true);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateVapidKeys, webPushSender } from './webpush-sender.js';

test('Web Push refuses subscription endpoints on private, loopback and link-local addresses unless allowed', async () => {
  const keys = generateVapidKeys();
  const sender = webPushSender({ subject: 'mailto:ops@example.com', publicKey: keys.publicKey, privateKey: keys.privateKey, allowPrivateUrls: false });
  const subscription = (endpoint: string) => JSON.stringify({ endpoint, keys: { p256dh: 'x', auth: 'y' } });
  const endpoints = ['http://127.0.0.1:9/push', 'https://10.1.2.3/push', 'https://169.254.169.254/latest', 'https://[::1]/push', 'https://localhost/push'];
  const results = await sender.send({ to: endpoints.map(subscription), title: 't', body: 'b' });
  assert.deepEqual(
    results.map((result) => result.error),
    endpoints.map(() => 'Push endpoint is a private address'),
  );
  const [broken] = await sender.send({ to: ['not json'] });
  assert.equal(broken!.error, 'Invalid push subscription');
});

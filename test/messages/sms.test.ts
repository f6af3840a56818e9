import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/app/services.js';
import { sendSms } from '../../src/services/messages/index.js';
import { TestServer } from '../support/plinth.js';
import { eventually, servicesBeside } from './services.js';

interface ProviderRequest {
  method: string;
  path: string;
  authorization: string;
  contentType: string;
  form: URLSearchParams;
}

describe('SMS through a Twilio-compatible API', () => {
  let server: TestServer;
  let services: Services;
  let provider: Server;
  const requests: ProviderRequest[] = [];
  /** Answers 503 to this many requests before accepting. */
  let failures = 0;

  before(async () => {
    provider = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          authorization: request.headers.authorization ?? '',
          contentType: request.headers['content-type'] ?? '',
          form: new URLSearchParams(body),
        });
        const failing = failures > 0;
        if (failing) failures--;
        response.writeHead(failing ? 503 : 201, { 'content-type': 'application/json' });
        response.end(JSON.stringify(failing ? { message: 'busy' } : { sid: 'SM1', status: 'queued' }));
      });
    });
    await new Promise<void>((done) => provider.listen(0, '127.0.0.1', done));
    const { port } = provider.address() as AddressInfo;
    server = await TestServer.start({
      env: {
        PLINTH_SMS_URL: `http://127.0.0.1:${port}/`,
        PLINTH_SMS_FROM: '+15550009999',
        PLINTH_SMS_ACCOUNT: 'AC0123456789',
        PLINTH_SMS_TOKEN: 'sms-token-secret',
      },
    });
    await server.createProject('texts');
    services = servicesBeside(server);
  });
  after(async () => {
    await services.close();
    await server.stop();
    await new Promise((done) => provider.close(done));
  });

  it('posts To, From and Body form-encoded with basic auth', async () => {
    await sendSms(services.deps, { projectId: 'texts', to: '+15550001234', text: 'Your code is 402913 & expires soon' });
    const [request] = await eventually(() => (requests.length > 0 ? requests : undefined));
    assert.equal(request?.method, 'POST');
    assert.equal(request?.path, '/2010-04-01/Accounts/AC0123456789/Messages.json');
    assert.equal(request?.authorization, `Basic ${Buffer.from('AC0123456789:sms-token-secret').toString('base64')}`);
    assert.match(request?.contentType ?? '', /^application\/x-www-form-urlencoded/);
    assert.equal(request?.form.get('To'), '+15550001234');
    assert.equal(request?.form.get('From'), '+15550009999');
    assert.equal(request?.form.get('Body'), 'Your code is 402913 & expires soon');
    assert.deepEqual((await server.cliJson(['sms', 'list', '--project', 'texts'])), []);
  });

  it('retries when the provider answers with an error, and logs neither text nor token', async () => {
    failures = 1;
    const before = requests.length;
    await sendSms(services.deps, { projectId: 'texts', to: '+15550005678', text: 'Code 660021' });
    await eventually(() => (requests.length >= before + 2 ? true : undefined));
    assert.deepEqual(requests.slice(before).map((r) => r.form.get('Body')), ['Code 660021', 'Code 660021']);
    await eventually(async () => ((await services.deps.queue.pendingCount('messaging')) === 0 ? true : undefined));
    assert.equal(await services.deps.queue.failedCount('messaging'), 0);
    const logs = server.logs.join('\n');
    assert.match(logs, /SMS provider answered 503/);
    assert.ok(!logs.includes('660021'));
    assert.ok(!logs.includes('sms-token-secret'));
  });
});

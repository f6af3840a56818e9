import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRateLimitKey, type RateLimitSubject } from './rate-limit.js';

const subject: RateLimitSubject = {
  projectId: 'p1',
  method: 'POST',
  routeUrl: '/v1/account/sessions/email',
  ip: '10.0.0.7',
  userId: 'u1',
  params: [{ email: 'Ada@Example.COM', count: 3 }, { email: 'query@example.com', page: '2' }, { userId: 'route-user' }],
};

describe('buildRateLimitKey', () => {
  it('names the project, route and each part, as Appwrite labels its keys', () => {
    assert.equal(
      buildRateLimitKey(subject, ['url', { param: 'email' }]),
      'p1:POST /v1/account/sessions/email:url:/v1/account/sessions/email,email:ada@example.com',
    );
    assert.equal(buildRateLimitKey(subject, ['ip', 'user']), 'p1:POST /v1/account/sessions/email:ip:10.0.0.7,user:u1');
  });

  it('reads a parameter from the body, then the query, then the route', () => {
    assert.match(buildRateLimitKey(subject, [{ param: 'page' }]), /:page:2$/);
    assert.match(buildRateLimitKey(subject, [{ param: 'userId' }]), /:userId:route-user$/);
    assert.match(buildRateLimitKey(subject, [{ param: 'count' }]), /:count:3$/);
  });

  it('leaves an absent parameter empty', () => {
    assert.match(buildRateLimitKey({ ...subject, params: [undefined, {}, null] }, [{ param: 'email' }]), /:email:$/);
  });

  it('stores a key too long for its column as a digest', () => {
    const long = buildRateLimitKey({ ...subject, params: [{ email: `${'a'.repeat(300)}@example.com` }] }, [{ param: 'email' }]);
    assert.match(long, /^sha256:[0-9a-f]{64}$/);
    const other = buildRateLimitKey({ ...subject, params: [{ email: `${'b'.repeat(300)}@example.com` }] }, [{ param: 'email' }]);
    assert.notEqual(long, other);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { eventFrames } from './event-frames.js';

const event: PlinthEvent = {
  projectId: 'p',
  names: ['teams.t.memberships.m.update'],
  payload: { userEmail: 'ada@example.com' },
  readableBy: ['team:t'],
  views: [
    { roles: ['team:t/owner'], payload: { userEmail: 'ada@example.com', note: 'owners' } },
    { roles: ['any'], payload: { userEmail: '' } },
  ],
  timestamp: '2026-01-01T00:00:00.000+00:00',
};

describe('eventFrames', () => {
  it('gives each receiver the first view whose roles it holds, serialised once per view', () => {
    const frameFor = eventFrames(event, ['memberships']);
    const member = frameFor(new Set(['any', 'users', 'team:t']));
    assert.deepEqual(member.payload, { userEmail: '' });
    assert.deepEqual(JSON.parse(`${member.head}["s"]}}`).data.payload, { userEmail: '' });
    assert.equal(frameFor(new Set(['any', 'team:t'])), member);
    assert.deepEqual(frameFor(new Set(['any', 'team:t', 'team:t/owner'])).payload, { userEmail: 'ada@example.com', note: 'owners' });
  });

  it('gives the event payload to receivers no view names, and to all when there are no views', () => {
    assert.deepEqual(eventFrames(event, [])(new Set(['guests'])).payload, event.payload);
    const { views: _views, ...plain } = event;
    assert.deepEqual(eventFrames(plain, [])(new Set(['any'])).payload, event.payload);
  });
});

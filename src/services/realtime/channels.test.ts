import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventNames } from '../../core/events.js';
import { bindChannel, channelsOfEvent } from './channels.js';

describe('channelsOfEvent', () => {
  it('maps file events, as storage publishes them, to files, bucket and file channels', () => {
    const names = eventNames([['buckets', 'b1'], ['files', 'f1']], 'create');
    assert.deepEqual(channelsOfEvent(names).sort(), [
      'buckets.b1.files', 'buckets.b1.files.create', 'buckets.b1.files.f1', 'buckets.b1.files.f1.create', 'files', 'files.create',
    ]);
  });

  it('maps user events to account channels, with attribute names ignored', () => {
    const names = eventNames([['users', 'u1']], 'update', 'prefs');
    assert.deepEqual(channelsOfEvent(names).sort(), ['account', 'account.u1', 'account.u1.update', 'account.update']);
    assert.ok(channelsOfEvent(eventNames([['users', 'u1'], ['sessions', 's1']], 'delete')).includes('account.u1.delete'));
  });

  it('maps executions to executions and their function', () => {
    const names = eventNames([['functions', 'fn'], ['executions', 'e1']], 'update');
    assert.deepEqual(channelsOfEvent(names).sort(), [
      'executions', 'executions.e1', 'executions.e1.update', 'executions.update', 'functions.fn', 'functions.fn.update',
    ]);
  });

  it('maps teams and memberships', () => {
    assert.deepEqual(channelsOfEvent(eventNames([['teams', 't1']], 'delete')).sort(), ['teams', 'teams.delete', 'teams.t1', 'teams.t1.delete']);
    assert.deepEqual(channelsOfEvent(eventNames([['teams', 't1'], ['memberships', 'm1']], 'update', 'status')).sort(), [
      'memberships', 'memberships.m1', 'memberships.m1.update', 'memberships.update',
    ]);
  });

  it('maps presences', () => {
    assert.deepEqual(channelsOfEvent(eventNames([['presences', 'p1']], 'upsert')).sort(), ['presences', 'presences.p1', 'presences.p1.upsert', 'presences.upsert']);
  });

  it('gives schema events (collections, attributes, buckets) no channel', () => {
    assert.deepEqual(channelsOfEvent(eventNames([['databases', 'd'], ['collections', 'c']], 'create')), []);
    assert.deepEqual(channelsOfEvent(eventNames([['buckets', 'b1']], 'update')), []);
  });
});

describe('bindChannel', () => {
  it('binds account channels to the user and drops other users’ accounts', () => {
    assert.deepEqual(bindChannel('account', 'u1'), ['account', 'account.u1']);
    assert.deepEqual(bindChannel('account', undefined), ['account']);
    assert.deepEqual(bindChannel('account.delete', 'u1'), ['account.u1.delete']);
    assert.deepEqual(bindChannel('account.u1', 'u1'), ['account.u1']);
    assert.deepEqual(bindChannel('account.u1.update', 'u1'), ['account.u1.update']);
    assert.deepEqual(bindChannel('account.u2', 'u1'), []);
    assert.deepEqual(bindChannel('account.u2', undefined), []);
    assert.deepEqual(bindChannel('rows', 'u1'), ['rows']);
  });
});

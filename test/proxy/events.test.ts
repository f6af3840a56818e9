import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRule, deleteRule, getRule, verifyRule } from '../../src/services/proxy/index.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startInProcess, type InProcess } from '../support/in-process.js';

const PROJECT = 'rule-events';

/** The rule logic called in-process, to see the events it publishes. */
describe('rule events', () => {
  let world: InProcess;
  let dns: TestDnsServer;
  let deps: ServiceDeps;

  before(async () => {
    dns = await startDnsServer();
    world = await startInProcess(PROJECT);
    deps = { ...world.services.deps, proxy: { serverDomain: 'plinth.example', cnameTarget: 'plinth.example', aTargets: [], aaaaTargets: [], dnsServers: [dns.address], deniedDomains: [] } };
  });
  after(async () => {
    await world.stop();
    await dns.stop();
  });

  test('creating, verifying and deleting a rule publish rules.<id>.create, .update and .delete, for the console only', async () => {
    const rule = await createRule(deps, PROJECT, 'shop.example', { type: 'api' });
    const created = world.published(`rules.${rule.$id}.create`);
    assert.ok(created.names.includes('rules.*.create'));
    assert.deepEqual(created.payload, rule);
    assert.deepEqual(created.readableBy, []);

    dns.records.set('shop.example', { cname: 'plinth.example.' });
    const verified = await verifyRule(deps, PROJECT, rule.$id);
    assert.equal(verified.status, 'verified');
    assert.deepEqual(world.published('rules.*.update').payload, verified);

    await deleteRule(deps, PROJECT, rule.$id);
    assert.equal((world.published('rules.*.delete').payload as { $id: string }).$id, rule.$id);
  });

  test('a failed verification publishes nothing and keeps the reason', async () => {
    const rule = await createRule(deps, PROJECT, 'nowhere.example', { type: 'api' });
    world.events.length = 0;
    await assert.rejects(verifyRule(deps, PROJECT, rule.$id), { type: 'rule_verification_failed' });
    assert.equal(world.events.length, 0);
    assert.match((await getRule(deps, PROJECT, rule.$id)).logs, /add a CNAME record to plinth\.example/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Locale, type Models, Project, ProjectAuthMethodId, ProjectProtocolId, ProjectServiceId } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

/**
 * A switch as the project model reports it: server.json's flat field (`serviceStatusForLocale`)
 * and node-appwrite's list entry (`services: [{ $id: 'locale', enabled }]`) must agree.
 */
function switchOf(model: Models.Project, list: 'services' | 'protocols' | 'authMethods', id: string, field: string): boolean {
  const flat = (model as unknown as Record<string, unknown>)[field];
  const entry = (model[list] as { $id: string; enabled: boolean }[]).find((item) => item.$id === id);
  assert.equal(typeof flat, 'boolean', field);
  assert.equal(entry?.enabled, flat, `${list} ${id}`);
  return flat as boolean;
}

/** Asserts that a call fails with the given status and error type. */
describe('project service, protocol and auth method switches', () => {
  let server: TestServer;
  let project: Project;
  let guestLocale: Locale;
  let keyLocale: Locale;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('switches');
    project = new Project(sdkClient(server, 'switches', await server.createKey('switches', 'project.write')));
    guestLocale = new Locale(sdkClient(server, 'switches'));
    keyLocale = new Locale(sdkClient(server, 'switches', await server.createKey('switches', 'locale.read')));
  });
  after(() => server.stop());

  it('turns a service off for guests with general_service_disabled, while a key still reaches it', async () => {
    const model = await project.updateService({ serviceId: ProjectServiceId.Locale, enabled: false });
    assert.equal(model.$id, 'switches');
    assert.equal(switchOf(model, 'services', 'locale', 'serviceStatusForLocale'), false);
    assert.equal(switchOf(model, 'services', 'account', 'serviceStatusForAccount'), true);

    await rejectsWith(guestLocale.listContinents(), 403, 'general_service_disabled');
    await rejectsWith(guestLocale.get(), 403, 'general_service_disabled');
    assert.equal((await keyLocale.listContinents()).total, 7);
  });

  it('leaves the other services of the project on', async () => {
    assert.equal((await server.request('/health/version', { project: 'switches' })).status, 200);
  });

  it('turns the service back on for guests', async () => {
    const model = await project.updateService({ serviceId: ProjectServiceId.Locale, enabled: true });
    assert.equal(switchOf(model, 'services', 'locale', 'serviceStatusForLocale'), true);
    assert.equal((await guestLocale.listContinents()).total, 7);
  });

  it('turns the REST protocol off for guests with general_api_disabled, while a key still works', async () => {
    const model = await project.updateProtocol({ protocolId: ProjectProtocolId.Rest, enabled: false });
    assert.equal(switchOf(model, 'protocols', 'rest', 'protocolStatusForRest'), false);
    assert.equal(switchOf(model, 'protocols', 'graphql', 'protocolStatusForGraphql'), true);
    try {
      await rejectsWith(guestLocale.listContinents(), 403, 'general_api_disabled');
      const health = await jsonOf(server.request('/health/version', { project: 'switches' }));
      assert.equal(health.type, 'general_api_disabled');
      assert.equal((await keyLocale.listContinents()).total, 7);
    } finally {
      await project.updateProtocol({ protocolId: ProjectProtocolId.Rest, enabled: true });
    }
    assert.equal((await guestLocale.listContinents()).total, 7);
  });

  it('stores auth method switches and shows them in the project', async () => {
    const off = await project.updateAuthMethod({ methodId: ProjectAuthMethodId.Anonymous, enabled: false });
    assert.equal(switchOf(off, 'authMethods', 'anonymous', 'authAnonymous'), false);
    assert.equal(switchOf(off, 'authMethods', 'email-password', 'authEmailPassword'), true);
    const on = await project.updateAuthMethod({ methodId: ProjectAuthMethodId.Anonymous, enabled: true });
    assert.equal(switchOf(on, 'authMethods', 'anonymous', 'authAnonymous'), true);
  });

  it('rejects an unknown service, protocol or auth method with general_argument_invalid', async () => {
    await rejectsWith(project.updateService({ serviceId: 'nope' as ProjectServiceId, enabled: false }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateService({ serviceId: 'projects' as ProjectServiceId, enabled: false }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateProtocol({ protocolId: 'soap' as ProjectProtocolId, enabled: false }), 400, 'general_argument_invalid');
    await rejectsWith(
      project.updateAuthMethod({ methodId: 'carrier-pigeon' as ProjectAuthMethodId, enabled: false }),
      400,
      'general_argument_invalid',
    );
  });

  it('rejects a missing or non-boolean `enabled` with general_argument_invalid', async () => {
    const key = await server.createKey('switches', 'project.write');
    for (const body of ['{}', '{"enabled":"no"}']) {
      const response = await server.request('/project/services/locale', {
        method: 'PATCH',
        project: 'switches',
        key,
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(response.status, 400, body);
      assert.equal((await jsonOf(response)).type, 'general_argument_invalid');
    }
  });

  it('refuses callers without project.write with general_unauthorized_scope', async () => {
    const readOnly = new Project(sdkClient(server, 'switches', await server.createKey('switches', 'project.read,locale.read')));
    await rejectsWith(readOnly.updateService({ serviceId: ProjectServiceId.Locale, enabled: false }), 401, 'general_unauthorized_scope');
    await rejectsWith(readOnly.updateProtocol({ protocolId: ProjectProtocolId.Rest, enabled: false }), 401, 'general_unauthorized_scope');
    await rejectsWith(
      readOnly.updateAuthMethod({ methodId: ProjectAuthMethodId.Jwt, enabled: false }),
      401,
      'general_unauthorized_scope',
    );
    const guest = new Project(sdkClient(server, 'switches'));
    await rejectsWith(guest.updateService({ serviceId: ProjectServiceId.Locale, enabled: false }), 401, 'general_unauthorized_scope');
    assert.equal((await guestLocale.listContinents()).total, 7);
  });

  it('keeps each project’s switches to itself', async () => {
    await server.createProject('switches-other');
    await project.updateService({ serviceId: ProjectServiceId.Locale, enabled: false });
    try {
      assert.equal((await new Locale(sdkClient(server, 'switches-other')).listContinents()).total, 7);
    } finally {
      await project.updateService({ serviceId: ProjectServiceId.Locale, enabled: true });
    }
  });
});

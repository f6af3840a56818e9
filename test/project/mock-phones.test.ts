import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Project, Query } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

describe('project mock phones through node-appwrite', () => {
  let server: TestServer;
  let project: Project;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('mocks');
    project = new Project(sdkClient(server, 'mocks', await server.createKey('mocks', 'mocks.read,mocks.write')));
  });
  after(() => server.stop());

  it('creates a mock number and answers 201 with its model', async () => {
    const created = await project.createMockPhone({ number: '+12065550100', otp: '123456' });
    assert.deepEqual(Object.keys(created).sort(), ['$createdAt', '$updatedAt', 'number', 'otp']);
    assert.equal(created.number, '+12065550100');
    assert.equal(created.otp, '123456');
    assert.match(created.$createdAt, ISO);
    assert.equal(created.$updatedAt, created.$createdAt);

    const raw = await server.request('/project/mock-phones', {
      method: 'POST',
      project: 'mocks',
      key: await server.createKey('mocks', 'mocks.write'),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: '+4915112345678', otp: '000000' }),
    });
    assert.equal(raw.status, 201);
  });

  it('rejects a number already there with mock_number_already_exists', async () => {
    await rejectsWith(project.createMockPhone({ number: '+12065550100', otp: '654321' }), 409, 'mock_number_already_exists');
  });

  it('rejects a number that is not E.164 with general_argument_invalid', async () => {
    for (const number of ['12065550100', '+0123456789', '+12 065 550', '+1234', '+1234567890123456', 'phone']) {
      await rejectsWith(project.createMockPhone({ number, otp: '123456' }), 400, 'general_argument_invalid');
    }
  });

  it('rejects an OTP that is not 6 digits with general_argument_invalid', async () => {
    for (const otp of ['12345', '1234567', 'abcdef', '12345a', '']) {
      await rejectsWith(project.createMockPhone({ number: '+12065550199', otp }), 400, 'general_argument_invalid');
    }
  });

  it('gets a mock number by its number', async () => {
    const found = await project.getMockPhone({ number: '+12065550100' });
    assert.equal(found.otp, '123456');
  });

  it('lists mock numbers in creation order, with limit, offset and total', async () => {
    const all = await project.listMockPhones();
    assert.equal(all.total, 2);
    assert.deepEqual(
      all.mockNumbers.map((mock) => mock.number),
      ['+12065550100', '+4915112345678'],
    );
    const second = await project.listMockPhones({ queries: [Query.limit(1), Query.offset(1)] });
    assert.equal(second.total, 2);
    assert.deepEqual(
      second.mockNumbers.map((mock) => mock.number),
      ['+4915112345678'],
    );
    const uncounted = await project.listMockPhones({ queries: [Query.limit(1)], total: false });
    assert.equal(uncounted.total, 0);
    assert.equal(uncounted.mockNumbers.length, 1);
  });

  it('rejects list queries other than limit and offset', async () => {
    await rejectsWith(project.listMockPhones({ queries: [Query.equal('number', '+12065550100')] }), 400, 'general_argument_invalid');
    await rejectsWith(project.listMockPhones({ queries: ['not json'] }), 400, 'general_argument_invalid');
    await rejectsWith(project.listMockPhones({ queries: [Query.limit(0)] }), 400, 'general_argument_invalid');
  });

  it('updates the OTP of a mock number', async () => {
    const before = await project.getMockPhone({ number: '+12065550100' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await project.updateMockPhone({ number: '+12065550100', otp: '999999' });
    assert.equal(updated.otp, '999999');
    assert.equal(updated.$createdAt, before.$createdAt);
    assert.ok(updated.$updatedAt > before.$updatedAt);
    assert.equal((await project.getMockPhone({ number: '+12065550100' })).otp, '999999');
    await rejectsWith(project.updateMockPhone({ number: '+12065550100', otp: '99999' }), 400, 'general_argument_invalid');
  });

  it('answers an unknown number with mock_number_not_found on get, update and delete', async () => {
    await rejectsWith(project.getMockPhone({ number: '+15555550123' }), 404, 'mock_number_not_found');
    await rejectsWith(project.updateMockPhone({ number: '+15555550123', otp: '111111' }), 404, 'mock_number_not_found');
    await rejectsWith(project.deleteMockPhone({ number: '+15555550123' }), 404, 'mock_number_not_found');
  });

  it('rejects a malformed number in the path with general_argument_invalid', async () => {
    await rejectsWith(project.getMockPhone({ number: '12065550100' }), 400, 'general_argument_invalid');
    await rejectsWith(project.deleteMockPhone({ number: 'nope' }), 400, 'general_argument_invalid');
  });

  it('deletes a mock number with 204', async () => {
    const key = await server.createKey('mocks', 'mocks.write');
    const response = await server.request(`/project/mock-phones/${encodeURIComponent('+4915112345678')}`, { method: 'DELETE', project: 'mocks', key });
    assert.equal(response.status, 204);
    await project.deleteMockPhone({ number: '+12065550100' });
    await rejectsWith(project.getMockPhone({ number: '+12065550100' }), 404, 'mock_number_not_found');
    assert.equal((await project.listMockPhones()).total, 0);
  });

  it('keeps each project’s numbers to itself', async () => {
    await server.createProject('mocks-other');
    const other = new Project(sdkClient(server, 'mocks-other', await server.createKey('mocks-other', 'mocks.read,mocks.write')));
    await project.createMockPhone({ number: '+12065550111', otp: '123456' });
    await other.createMockPhone({ number: '+12065550111', otp: '654321' });
    assert.equal((await other.getMockPhone({ number: '+12065550111' })).otp, '654321');
    assert.equal((await project.getMockPhone({ number: '+12065550111' })).otp, '123456');
    assert.equal((await other.listMockPhones()).total, 1);
  });

  it('refuses callers without mocks.read or mocks.write with general_unauthorized_scope', async () => {
    const readOnly = new Project(sdkClient(server, 'mocks', await server.createKey('mocks', 'mocks.read')));
    assert.ok((await readOnly.listMockPhones()).total >= 1);
    await rejectsWith(readOnly.createMockPhone({ number: '+12065550122', otp: '123456' }), 401, 'general_unauthorized_scope');
    await rejectsWith(readOnly.updateMockPhone({ number: '+12065550111', otp: '123456' }), 401, 'general_unauthorized_scope');
    await rejectsWith(readOnly.deleteMockPhone({ number: '+12065550111' }), 401, 'general_unauthorized_scope');

    const writeOnly = new Project(sdkClient(server, 'mocks', await server.createKey('mocks', 'mocks.write')));
    await rejectsWith(writeOnly.listMockPhones(), 401, 'general_unauthorized_scope');
    await rejectsWith(writeOnly.getMockPhone({ number: '+12065550111' }), 401, 'general_unauthorized_scope');

    const guest = await jsonOf(server.request('/project/mock-phones', { project: 'mocks' }));
    assert.equal(guest.type, 'general_unauthorized_scope');
  });
});

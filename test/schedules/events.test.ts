import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFunction } from '../../src/services/functions/functions.js';
import { createSchedule } from '../../src/services/schedules/schedules.js';
import { startInProcess, type InProcess } from '../support/in-process.js';

const PROJECT = 'schedule-events';

/** The schedule logic called in-process, to see the event it publishes. */
describe('schedule events', () => {
  let world: InProcess;

  before(async () => {
    world = await startInProcess(PROJECT);
  });
  after(async () => {
    await world.stop();
  });

  test('creating a schedule publishes schedules.<id>.create, for the console only; a refused one publishes nothing', async () => {
    const deps = world.services.deps;
    const fn = await createFunction(deps, PROJECT, 'nightly', { name: 'Nightly', runtime: 'node-20.0' });
    world.events.length = 0;
    await assert.rejects(createSchedule(deps, PROJECT, { resourceType: 'function', resourceId: 'missing', schedule: '0 0 * * *', active: false, data: undefined }), { type: 'function_not_found' });
    assert.equal(world.events.length, 0);

    const schedule = await createSchedule(deps, PROJECT, { resourceType: 'function', resourceId: fn.$id, schedule: '0 0 * * *', active: false, data: { note: 'n' } });
    const created = world.published(`schedules.${schedule.$id}.create`);
    assert.ok(created.names.includes('schedules.*.create'));
    assert.ok(created.names.includes('schedules.*'));
    assert.deepEqual(created.payload, schedule);
    assert.deepEqual(created.readableBy, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Projects, Query as ConsoleQuery, Teams } from '@appwrite.io/console';
import { Functions, Messaging, Query, type Models } from 'node-appwrite';
import { deployFunction, pollUntil, waitForExecution } from '../functions/deploy.js';
import { NODE_ECHO } from '../functions/fixtures.js';
import { TestMailbox } from '../support/mailbox.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { CONSOLE, joinOrganization, signUpAdministrator, type Administrator } from './organization-helpers.js';

/** Every second: croner's six-field form, so the server's runs come within the test's patience. */
const EVERY_SECOND = '* * * * * *';
const IN_AN_HOUR = () => new Date(Date.now() + 3600_000).toISOString();

describe('the console’s project schedules, run by the server', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let owner: Administrator;
  let analyst: Administrator;
  let outsider: Administrator;
  let projects: Projects;
  let functions: Functions;
  let functionId: string;

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({ env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`, PLINTH_CONSOLE_SIGNUP: 'open' } });
    owner = await signUpAdministrator(server, 'owner@example.com');
    analyst = await signUpAdministrator(server, 'analyst@example.com');
    outsider = await signUpAdministrator(server, 'outsider@example.com');
    await new Teams(owner.client).create({ teamId: 'acme', name: 'Acme' });
    await joinOrganization(mailbox, owner, 'acme', analyst, ['analyst']);
    projects = new Projects(owner.client);
    await projects.create({ projectId: 'cron', name: 'Cron', teamId: 'acme' });
    functions = new Functions(sdkClient(server, 'cron', await server.createKey('cron')));
    ({ functionId } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js' }));
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('an inactive schedule is kept, read and listed, and runs nothing', async () => {
    const created = await projects.createSchedule({ projectId: 'cron', resourceType: 'function' as never, resourceId: functionId, schedule: EVERY_SECOND, data: { note: 'kept' } });
    assert.equal(created.resourceType, 'function');
    assert.equal(created.resourceId, functionId);
    assert.equal(created.projectId, 'cron');
    assert.equal(created.schedule, EVERY_SECOND);
    assert.equal(created.active, false);
    assert.deepEqual({ ...created.data }, { note: 'kept' });
    assert.equal(created.region, 'default');
    assert.ok(Date.parse(created.resourceUpdatedAt) > 0);

    assert.equal(JSON.stringify(await projects.getSchedule({ projectId: 'cron', scheduleId: created.$id })), JSON.stringify(created));
    const listed = await projects.listSchedules({ projectId: 'cron', queries: [ConsoleQuery.equal('resourceType', 'function'), ConsoleQuery.equal('active', false)] });
    // The function's own schedule (no cron yet) comes first, as the function was made first.
    assert.deepEqual(
      listed.schedules.map((schedule) => [schedule.resourceId, schedule.schedule]),
      [
        [functionId, ''],
        [functionId, EVERY_SECOND],
      ],
    );
    assert.equal(listed.schedules[1]!.$id, created.$id);
    assert.equal(listed.total, 2);
    assert.equal((await new Projects(analyst.client).getSchedule({ projectId: 'cron', scheduleId: created.$id })).$id, created.$id, 'an analyst reads');
    assert.equal((await functions.listExecutions({ functionId })).total, 0);
  });

  test('an active function schedule runs the function at each of its times, as a cron does', async () => {
    const schedule = await projects.createSchedule({ projectId: 'cron', resourceType: 'function' as never, resourceId: functionId, schedule: EVERY_SECOND, active: true });
    assert.equal(schedule.active, true);
    const runs = await pollUntil(async () => {
      const list = await functions.listExecutions({ functionId, queries: [Query.equal('trigger', 'schedule'), Query.orderAsc('$createdAt')] });
      return list.total >= 2 ? list.executions : undefined;
    }, 50);
    assert.ok(runs, 'two runs of the schedule');
    const first = await waitForExecution(functions, functionId, runs[0]!.$id);
    assert.equal(first.status, 'completed', first.errors);
    assert.equal(first.requestMethod, 'POST');
    assert.equal(first.requestPath, '/');
    assert.ok(Date.parse(runs[1]!.$createdAt) > Date.parse(runs[0]!.$createdAt), 'at two different times');
  });

  test('an execution schedule runs the execution at its next time, then goes', async () => {
    const waiting = await functions.createExecution({ functionId, async: true, scheduledAt: IN_AN_HOUR() });
    assert.equal(waiting.status, 'scheduled');
    const schedule = await projects.createSchedule({
      projectId: 'cron',
      resourceType: 'execution' as never,
      resourceId: waiting.$id,
      schedule: EVERY_SECOND,
      active: true,
      data: { body: 'from the schedule', headers: { 'x-scheduled': 'yes' } },
    });
    const ran = await waitForExecution(functions, functionId, waiting.$id);
    assert.equal(ran.status, 'completed', ran.errors);
    assert.match(ran.logs, /echo POST \//);
    await rejectsWith(projects.getSchedule({ projectId: 'cron', scheduleId: schedule.$id }), 404, 'schedule_not_found');
  });

  test('a message schedule sends the message at its next time, then goes', async () => {
    const messaging = new Messaging(sdkClient(server, 'cron', await server.createKey('cron')));
    const message = await messaging.createEmail({ messageId: 'later', subject: 'Later', content: 'Hello', users: ['nobody'], scheduledAt: IN_AN_HOUR() });
    assert.equal(message.status, 'scheduled');
    const schedule = await projects.createSchedule({ projectId: 'cron', resourceType: 'message' as never, resourceId: 'later', schedule: EVERY_SECOND, active: true });
    // The project has no mail provider: the send is tried now, and fails for that reason.
    const sent = await pollUntil(async () => {
      const current: Models.Message = await messaging.getMessage({ messageId: 'later' });
      return current.status === 'scheduled' || current.status === 'processing' ? undefined : current;
    }, 50);
    assert.equal(sent?.status, 'failed');
    assert.deepEqual(sent?.deliveryErrors, ['No enabled provider found.']);
    await rejectsWith(projects.getSchedule({ projectId: 'cron', scheduleId: schedule.$id }), 404, 'schedule_not_found');
  });

  test('lists the schedules of functions, scheduled executions and scheduled messages with their real cron and times', async () => {
    const ofResource = async (resourceType: string, resourceId: string) => {
      const list = await projects.listSchedules({ projectId: 'cron', queries: [ConsoleQuery.equal('resourceType', resourceType), ConsoleQuery.equal('resourceId', resourceId)] });
      return list.schedules;
    };
    const YEARLY = '0 0 1 1 *';
    const updated = await functions.update({ functionId, name: 'Echo', schedule: YEARLY });
    const [fnSchedule] = (await ofResource('function', functionId)).filter((schedule) => schedule.schedule === YEARLY);
    assert.ok(fnSchedule, 'the function’s cron is listed');
    assert.equal(fnSchedule.active, true, 'enabled, with a deployment');
    assert.equal(fnSchedule.resourceUpdatedAt, updated.$updatedAt);
    assert.equal(fnSchedule.projectId, 'cron');
    assert.equal(fnSchedule.region, 'default');
    assert.equal(JSON.stringify(await projects.getSchedule({ projectId: 'cron', scheduleId: fnSchedule.$id })), JSON.stringify(fnSchedule), 'read by its id');

    const draft = await functions.create({ functionId: 'undeployed', name: 'Undeployed', runtime: 'node-20.0' as never, schedule: YEARLY });
    const [undeployed] = await ofResource('function', draft.$id);
    assert.equal(undeployed?.schedule, YEARLY);
    assert.equal(undeployed?.active, false, 'no deployment to run');

    const execution = await functions.createExecution({ functionId, async: true, xpath: '/later?x=1', method: 'PUT' as never, scheduledAt: IN_AN_HOUR(), headers: { 'x-later': 'yes' } });
    const [executionSchedule] = await ofResource('execution', execution.$id);
    assert.equal(executionSchedule?.schedule, execution.scheduledAt, 'the time it runs');
    assert.equal(executionSchedule?.active, true);
    const data = executionSchedule?.data as { method: string; path: string; headers: Record<string, string> };
    assert.equal(data.method, 'PUT');
    assert.equal(data.path, '/later?x=1');
    assert.equal(data.headers['x-later'], 'yes');

    const messaging = new Messaging(sdkClient(server, 'cron', await server.createKey('cron')));
    const message = await messaging.createEmail({ messageId: 'tomorrow', subject: 'Tomorrow', content: 'Hello', users: ['nobody'], scheduledAt: IN_AN_HOUR() });
    const [messageSchedule] = await ofResource('message', 'tomorrow');
    assert.equal(messageSchedule?.schedule, message.scheduledAt);
    assert.equal(messageSchedule?.active, true);

    // Every query, cursor and total works across stored and implied schedules alike.
    const byTime = await projects.listSchedules({ projectId: 'cron', queries: [ConsoleQuery.equal('schedule', [YEARLY, message.scheduledAt!]), ConsoleQuery.equal('region', 'default')] });
    assert.deepEqual(byTime.schedules.map((schedule) => schedule.resourceId).sort(), [functionId, 'tomorrow', 'undeployed'].sort());
    assert.equal(byTime.total, 3);
    const all = await projects.listSchedules({ projectId: 'cron', queries: [ConsoleQuery.orderDesc('$createdAt'), ConsoleQuery.limit(100)] });
    const afterFirst = await projects.listSchedules({ projectId: 'cron', queries: [ConsoleQuery.orderDesc('$createdAt'), ConsoleQuery.cursorAfter(all.schedules[0]!.$id), ConsoleQuery.limit(2)] });
    assert.deepEqual(
      afterFirst.schedules.map((schedule) => schedule.$id),
      all.schedules.slice(1, 3).map((schedule) => schedule.$id),
    );
    assert.equal(afterFirst.total, all.total);

    // Gone with the resource, or off with its cron.
    await messaging.delete({ messageId: 'tomorrow' });
    await rejectsWith(projects.getSchedule({ projectId: 'cron', scheduleId: messageSchedule!.$id }), 404, 'schedule_not_found');
    assert.deepEqual(await ofResource('message', 'tomorrow'), []);
    await functions.update({ functionId, name: 'Echo', schedule: '' });
    const off = await projects.getSchedule({ projectId: 'cron', scheduleId: fnSchedule.$id });
    assert.equal(off.schedule, '');
    assert.equal(off.active, false);
    await rejectsWith(new Projects(outsider.client).getSchedule({ projectId: 'cron', scheduleId: fnSchedule.$id }), 401, 'user_unauthorized');
    await rejectsWith(projects.getSchedule({ projectId: 'missing', scheduleId: fnSchedule.$id }), 404, 'project_not_found');
  });

  test('refuses a bad cron, an unknown resource or type, a missing project, a reader, an outsider and an API key', async () => {
    const create = (fields: Record<string, unknown>, as = projects) =>
      as.createSchedule({ projectId: 'cron', resourceType: 'function' as never, resourceId: functionId, schedule: EVERY_SECOND, ...fields } as never);
    await rejectsWith(create({ schedule: 'every minute' }), 400, 'general_argument_invalid');
    await rejectsWith(create({ resourceType: 'bucket' }), 400, 'general_argument_invalid');
    await rejectsWith(create({ resourceId: 'missing' }), 404, 'function_not_found');
    await rejectsWith(create({ resourceType: 'execution', resourceId: 'missing' }), 404, 'execution_not_found');
    await rejectsWith(create({ resourceType: 'message', resourceId: 'missing' }), 404, 'message_not_found');
    await rejectsWith(create({ data: '[1, 2]' }), 400, 'general_argument_invalid');
    await rejectsWith(create({ projectId: 'missing' }), 404, 'project_not_found');
    await rejectsWith(projects.getSchedule({ projectId: 'cron', scheduleId: 'missing' }), 404, 'schedule_not_found');
    await rejectsWith(projects.listSchedules({ projectId: 'cron', queries: [ConsoleQuery.equal('secret', 'x')] }), 400, 'general_query_invalid');
    await rejectsWith(create({}, new Projects(analyst.client)), 401, 'general_unauthorized_scope');
    await rejectsWith(create({}, new Projects(outsider.client)), 401, 'user_unauthorized');
    await rejectsWith(new Projects(outsider.client).listSchedules({ projectId: 'cron' }), 401, 'user_unauthorized');
    // Schedules are the console's: a project's own key does not reach them.
    const withKey = await server.request('/projects/cron/schedules', { project: 'cron', key: await server.createKey('cron') });
    assert.equal(withKey.status, 401);
    const signedOut = await server.request('/projects/cron/schedules', { project: CONSOLE });
    assert.equal((await jsonOf(signedOut)).type, 'general_unauthorized_scope');
  });
});

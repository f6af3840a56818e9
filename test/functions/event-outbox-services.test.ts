import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { serverCaller, userCaller } from '../../src/core/caller.js';
import { findTeam } from '../../src/data/project/teams.js';
import type { UserRow } from '../../src/data/tables.js';
import { createBucket, deleteBucket } from '../../src/services/storage/buckets.js';
import { createTeam } from '../../src/services/teams/index.js';
import { inviteMember } from '../../src/services/teams/invitations.js';
import { deleteManagedUser } from '../../src/services/users/index.js';
import { createUser } from '../../src/services/users/user-records.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { clearOutbox, fullestName, outboxNames as entryNames } from '../support/outbox-entries.js';

const PROJECT = 'outboxservices';

/**
 * Beyond documents, a change and the outbox entries of its events commit together: a change
 * that rolls back leaves no entry and publishes nothing; one that commits leaves exactly the
 * entries of what it published.
 */
describe('outbox entries of users, teams and storage', () => {
  let app: InProcess;

  before(async () => {
    app = await startInProcess(PROJECT);
  });
  after(() => app.stop());
  beforeEach(() => clearOutbox(app, PROJECT));

  const outboxNames = () => entryNames(app, PROJECT);
  const publishedNames = () => app.events.map((event) => fullestName(event));

  test('a user created and deleted leaves exactly the entries of its events', async () => {
    const { deps } = app.services;
    const user = await createUser(deps, PROJECT, { userId: 'ada', email: 'ada@example.com', name: 'Ada' }, 'specific');
    const targetId = (await deps.db.project(PROJECT).selectFrom('targets').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow()).id;
    const created = [`users.ada.targets.${targetId}.create`, 'users.ada.create'];
    assert.deepEqual(publishedNames(), created);
    assert.deepEqual(await outboxNames(), created);

    await deleteManagedUser(deps, PROJECT, 'ada');
    assert.deepEqual(publishedNames(), [...created, 'users.ada.delete']);
    assert.deepEqual(await outboxNames(), [...created, 'users.ada.delete']);
  });

  test('a team whose owner membership fails rolls back: no team, no entry, no event', async () => {
    const { deps } = app.services;
    // The creator is no user of the project: the membership's insert breaks its foreign key after the team's.
    const ghost = userCaller({ id: 'ghost', name: 'Ghost', email: null } as unknown as UserRow, ['any', 'users', 'user:ghost']);
    await assert.rejects(createTeam(deps, PROJECT, ghost, { teamId: 'haunted', name: 'Haunted' }));
    assert.equal(await findTeam(deps.db.project(PROJECT), 'haunted'), undefined);
    assert.deepEqual(await outboxNames(), []);
    assert.deepEqual(publishedNames(), []);
  });

  test('a team and a membership leave exactly the entries of their events', async () => {
    const { deps } = app.services;
    await createUser(deps, PROJECT, { userId: 'bob', name: 'Bob' }, 'specific');
    await createTeam(deps, PROJECT, serverCaller(), { teamId: 'crew', name: 'Crew' });
    const membership = await inviteMember(deps, PROJECT, serverCaller(), 'crew', { userId: 'bob', roles: ['member'] });
    const names = ['users.bob.create', 'teams.crew.create', `teams.crew.memberships.${membership.$id}.create`];
    assert.deepEqual(publishedNames(), names);
    assert.deepEqual(await outboxNames(), names);

    // Bob is a member already: the second invitation is refused and tells of nothing.
    await assert.rejects(inviteMember(deps, PROJECT, serverCaller(), 'crew', { userId: 'bob', roles: ['member'] }), { type: 'membership_already_confirmed' });
    assert.deepEqual(publishedNames(), names);
    assert.deepEqual(await outboxNames(), names);
  });

  test('a bucket whose insert hits a taken id rolls back; a delete leaves its one entry', async () => {
    const { deps } = app.services;
    await createBucket(deps, PROJECT, { bucketId: 'photos', name: 'Photos' });
    assert.deepEqual(await outboxNames(), ['buckets.photos.create']);
    // The insert itself fails inside the transaction (on PostgreSQL it aborts it).
    await assert.rejects(createBucket(deps, PROJECT, { bucketId: 'photos', name: 'Again' }), { type: 'storage_bucket_already_exists' });
    assert.deepEqual(publishedNames(), ['buckets.photos.create']);
    assert.deepEqual(await outboxNames(), ['buckets.photos.create']);

    await deleteBucket(deps, PROJECT, 'photos');
    assert.deepEqual(publishedNames(), ['buckets.photos.create', 'buckets.photos.delete']);
    assert.deepEqual(await outboxNames(), ['buckets.photos.create', 'buckets.photos.delete']);
  });
});

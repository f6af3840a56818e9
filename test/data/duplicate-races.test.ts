import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BuildRuntime, Databases, Framework, Functions, Messaging, MessagingProviderType, Project, Sites, Storage, Teams, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

/** Rounds of two creates of one id sent at once; each round must give one 201 and one 409. */
const ROUNDS = 8;

interface Outcome {
  created: number;
  refused: string[];
}

/** Sends both creates together and sorts what came back; anything but a 409 fails the test. */
async function race(create: () => Promise<unknown>): Promise<Outcome> {
  const results = await Promise.allSettled([create(), create()]);
  const outcome: Outcome = { created: 0, refused: [] };
  for (const result of results) {
    if (result.status === 'fulfilled') outcome.created += 1;
    else {
      const error = result.reason as { code?: number; type?: string; message?: string };
      assert.equal(error.code, 409, `${error.type}: ${error.message}`);
      outcome.refused.push(error.type ?? '');
    }
  }
  return outcome;
}

async function assertRaces(expectedType: string, create: (round: number) => () => Promise<unknown>): Promise<void> {
  for (let round = 0; round < ROUNDS; round += 1) {
    const outcome = await race(create(round));
    assert.deepEqual(outcome, { created: 1, refused: [expectedType] }, `round ${round}`);
  }
}

describe('two creates of one id at once', () => {
  let server: TestServer;
  let key: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('races');
    key = await server.createKey('races', 'all');
  });
  after(() => server.stop());

  const client = () => sdkClient(server, 'races', key);

  it('give one team and team_already_exists', async () => {
    const teams = new Teams(client());
    await assertRaces('team_already_exists', (round) => () => teams.create({ teamId: `team-${round}`, name: 'Racing' }));
  });

  it('give one user and user_already_exists by id, user_email_already_exists by email', async () => {
    const users = new Users(client());
    await assertRaces('user_already_exists', (round) => () => users.create({ userId: `user-${round}` }));
    let attempt = 0;
    await assertRaces('user_email_already_exists', (round) => () => {
      attempt += 1;
      return users.create({ userId: `mail-${round}-${attempt}`, email: `racer-${round}@example.com` });
    });
  });

  it('give one topic and topic_already_exists', async () => {
    const messaging = new Messaging(client());
    await assertRaces('topic_already_exists', (round) => () => messaging.createTopic({ topicId: `topic-${round}`, name: 'Racing' }));
  });

  it('give one bucket and storage_bucket_already_exists', async () => {
    const storage = new Storage(client());
    await assertRaces('storage_bucket_already_exists', (round) => () => storage.createBucket({ bucketId: `bucket-${round}`, name: 'Racing' }));
  });

  it('give one database and database_already_exists', async () => {
    const databases = new Databases(client());
    await assertRaces('database_already_exists', (round) => () => databases.create({ databaseId: `db-${round}`, name: 'Racing' }));
  });

  it('give one key, platform and variable, and their already_exists errors', async () => {
    const project = new Project(client());
    await assertRaces('key_already_exists', (round) => () => project.createKey({ keyId: `key-${round}`, name: 'Racing', scopes: [] }));
    await assertRaces('platform_already_exists', (round) => () =>
      project.createWebPlatform({ platformId: `web-${round}`, name: 'Racing', hostname: `racing-${round}.example.com` }),
    );
    await assertRaces('variable_already_exists', (round) => () => project.createVariable({ variableId: `var-${round}`, key: `RACE_${round}`, value: 'x' }));
  });

  it('give one collection, attribute and document, and their already_exists errors', async () => {
    const databases = new Databases(client());
    await databases.create({ databaseId: 'racing', name: 'Racing' });
    await assertRaces('collection_already_exists', (round) => () => databases.createCollection({ databaseId: 'racing', collectionId: `c-${round}`, name: 'Racing' }));
    await assertRaces('attribute_already_exists', (round) => () =>
      databases.createStringAttribute({ databaseId: 'racing', collectionId: 'c-0', key: `title${round}`, size: 32, required: false }),
    );
    await assertRaces('document_already_exists', (round) => () =>
      databases.createDocument({ databaseId: 'racing', collectionId: 'c-1', documentId: `d-${round}`, data: {} }),
    );
  });

  it('give one function and function variable, and their already_exists errors', async () => {
    const functions = new Functions(client());
    await assertRaces('function_already_exists', (round) => () => functions.create({ functionId: `fn-${round}`, name: 'Racing', runtime: 'node-20.0' as never }));
    await assertRaces('variable_already_exists', (round) => () =>
      functions.createVariable({ functionId: 'fn-0', variableId: `fv-${round}`, key: `RACE_${round}`, value: 'x' }),
    );
  });

  it('give one site and site variable, and their already_exists errors', async () => {
    const sites = new Sites(client());
    await assertRaces('site_already_exists', (round) => () =>
      sites.create({ siteId: `site-${round}`, name: 'Racing', framework: Framework.Vite, buildRuntime: BuildRuntime.Node200 }),
    );
    await assertRaces('variable_already_exists', (round) => () => sites.createVariable({ siteId: 'site-0', variableId: `sv-${round}`, key: `RACE_${round}`, value: 'x' }));
  });

  it('give one provider, target, subscriber and message, and their already_exists errors', async () => {
    const messaging = new Messaging(client());
    const users = new Users(client());
    await users.create({ userId: 'reader', email: 'reader@example.com' });
    await messaging.createTopic({ topicId: 'news', name: 'News' });
    await assertRaces('provider_already_exists', (round) => () => messaging.createSendgridProvider({ providerId: `sg-${round}`, name: 'Racing' }));
    await assertRaces('user_target_already_exists', (round) => () =>
      users.createTarget({ userId: 'reader', targetId: `tg-${round}`, providerType: MessagingProviderType.Email, identifier: `reader-${round}@example.com` }),
    );
    await assertRaces('subscriber_already_exists', (round) => () => messaging.createSubscriber({ topicId: 'news', subscriberId: `sub-${round}`, targetId: `tg-${round}` }));
    await assertRaces('message_already_exists', (round) => () =>
      messaging.createEmail({ messageId: `mail-${round}`, subject: 'Racing', content: 'x', users: ['reader'], draft: true }),
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppwriteException, Databases, Permission, Query, Role } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { startDatabaseServer, waitForSchema } from './helpers.js';

const PROJECT = 'regexsafety';
const DB = 'db';
const C = 'notes';
/** Long enough that a backtracking engine would try more paths than could ever finish. */
const LONG_TEXT = 'a'.repeat(5000);

describe('regex queries run in linear time', () => {
  let server: TestServer;
  let guest: Databases;

  const guestIds = async (queries: string[]) =>
    (await guest.listDocuments({ databaseId: DB, collectionId: C, queries })).documents.map((document) => document.$id);

  before(async () => {
    const started = await startDatabaseServer(PROJECT);
    server = started.server;
    const { databases, tables } = started;
    await databases.create({ databaseId: DB, name: 'DB' });
    await databases.createCollection({ databaseId: DB, collectionId: C, name: 'Notes', permissions: [Permission.read(Role.any())] });
    await databases.createStringAttribute({ databaseId: DB, collectionId: C, key: 'text', size: 10_000, required: true });
    await waitForSchema(tables, DB, C);
    await databases.createDocument({ databaseId: DB, collectionId: C, documentId: 'long', data: { text: LONG_TEXT } });
    await databases.createDocument({ databaseId: DB, collectionId: C, documentId: 'word', data: { text: 'Quartz' } });
    guest = new Databases(sdkClient(server, PROJECT));
  });
  after(() => server.stop());

  // A backtracking engine would not return from this query (nor answer anyone else) for
  // longer than any test runs: the test's timeout turns that into a failure.
  test("a guest's nested-quantifier pattern over a long value is answered, with the right matches", { timeout: 120_000 }, async () => {
    assert.deepEqual(await guestIds([Query.regex('text', '^(.+)+Q$')]), []);
    assert.deepEqual(await guestIds([Query.regex('text', '^(a|a)*$')]), ['long']);
    assert.deepEqual(await guestIds([Query.regex('text', '^(a+)+b')]), []);
    assert.deepEqual(await guestIds([Query.or([Query.regex('text', '(a*)*Q'), Query.regex('text', '^Q(.*)+z$')])]), ['word']);
  });

  test('backreferences and lookarounds, which need backtracking, are refused before they run', async () => {
    for (const pattern of ['^(a+)\\1$', '(?=a)a', 'a(?!b)', '(?<=a)a', '(?<!b)a']) {
      await rejectsWith(guestIds([Query.regex('text', pattern)]), 400, 'general_query_invalid');
    }
  });

  test('a list takes at most five regex filters, nested ones included', async () => {
    const regexes = (n: number) => Array.from({ length: n }, (_, i) => Query.regex('text', `^a{${i + 1}}`));
    assert.deepEqual(await guestIds(regexes(5)), ['long']);
    await rejectsWith(guestIds([...regexes(4), Query.or(regexes(2))]), 400, 'general_query_invalid');
  });

  test('the common syntax keeps working: classes, counted and lazy quantifiers, case-insensitive groups', async () => {
    assert.deepEqual(await guestIds([Query.regex('text', '^[A-Z][a-z]{2,5}$')]), ['word']);
    assert.deepEqual(await guestIds([Query.regex('text', '^a{200}')]), ['long']);
    assert.deepEqual(await guestIds([Query.regex('text', '^Q.+?z$')]), ['word']);
    assert.deepEqual(await guestIds([Query.regex('text', '(?i)^quartz$')]), ['word']);
    assert.deepEqual(await guestIds([Query.regex('text', '\\w+tz$')]), ['word']);
  });

  test('a pattern the database itself cannot read is a query error, never a server error', async () => {
    // RE2 reads Unicode classes; PostgreSQL's engine does not, and says so.
    const outcome = await guestIds([Query.regex('text', '^\\pL+$')]).then(
      (ids) => ids,
      (error: unknown) => (error instanceof AppwriteException ? `${error.code} ${error.type}` : error),
    );
    assert.ok(
      JSON.stringify(outcome) === JSON.stringify(['long', 'word']) || outcome === '400 general_query_invalid',
      `unexpected outcome ${JSON.stringify(outcome)}`,
    );
  });
});

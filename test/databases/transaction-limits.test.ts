import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TablesDB } from 'node-appwrite';
import { findTransaction, listOperations, setTransactionExpiry } from '../../src/data/documents/transaction-store.js';
import { LEGACY_API, TABLES_API } from '../../src/services/databases/api-names.js';
import { createCollection } from '../../src/services/databases/collections.js';
import { createDatabase } from '../../src/services/databases/databases.js';
import { createTransaction, MAX_LIVE_TRANSACTIONS_PER_USER } from '../../src/services/databases/transactions.js';
import { stageOperations } from '../../src/services/databases/transactions-staging.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import type { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpUser, startDatabaseServer } from './helpers.js';
import { userCaller } from '../../src/core/caller.js';

const PROJECT = 'txnlimits';
/** Openings a minute the route allows one user from one address. */
const OPENINGS_PER_MINUTE = 60;

describe('transactions are bounded per caller through the server', () => {
  let server: TestServer;
  let key: string;

  before(async () => {
    ({ server, key } = await startDatabaseServer(PROJECT));
  });
  after(() => server.stop());

  test('guests cannot open transactions in either API', async () => {
    const guest = sdkClient(server, PROJECT);
    for (const path of ['/tablesdb/transactions', '/databases/transactions']) {
      const response = await server.request(path, { method: 'POST', project: PROJECT, headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(response.status, 401, path);
      assert.equal(((await response.json()) as { type: string }).type, 'user_unauthorized', path);
    }
    await rejectsWith(new TablesDB(guest).createTransaction(), 401, 'user_unauthorized');
  });

  test('a user holds a bounded number of live transactions, and opening them is rate limited', async () => {
    const user = await signUpUser(server, PROJECT, key, 'Opener');
    for (let opened = 0; opened < MAX_LIVE_TRANSACTIONS_PER_USER; opened++) await user.tables.createTransaction({ ttl: 3600 });
    // Past the limit each try is refused, and still counts against the route's limit.
    for (let attempt = MAX_LIVE_TRANSACTIONS_PER_USER + 1; attempt <= OPENINGS_PER_MINUTE; attempt++) {
      await rejectsWith(user.tables.createTransaction(), 400, 'transaction_limit_exceeded');
    }
    await rejectsWith(user.tables.createTransaction(), 429, 'general_rate_limit_exceeded');
    const listed = await new TablesDB(sdkClient(server, PROJECT, key)).listTransactions();
    assert.equal(listed.total, MAX_LIVE_TRANSACTIONS_PER_USER, 'refused openings left nothing behind');

    // Another user is not held back by the first one's transactions.
    const other = await signUpUser(server, PROJECT, key, 'Other');
    assert.equal((await other.tables.createTransaction()).status, 'pending');
  });

  test('servers are not limited by the per-user bound', async () => {
    const tables = new TablesDB(sdkClient(server, PROJECT, key));
    for (let opened = 0; opened <= MAX_LIVE_TRANSACTIONS_PER_USER + 1; opened++) assert.equal((await tables.createTransaction()).status, 'pending');
  });
});

describe('expired transactions are swept away', () => {
  let app: InProcess;
  const user = userCaller({ id: 'ann' }, ['any', 'users', 'user:ann']);

  before(async () => {
    app = await startInProcess(PROJECT);
    await createDatabase(app.services.deps, PROJECT, TABLES_API, { databaseId: 'db', name: 'DB' });
    await createCollection(app.services.deps, PROJECT, LEGACY_API, 'db', { collectionId: 'notes', name: 'Notes', permissions: ['create("users")'], documentSecurity: false });
  });
  after(() => app.stop());

  test('opening a transaction deletes the expired ones with their staged operations, and frees the owner\'s bound', async () => {
    const { deps } = app.services;
    const db = deps.db.project(PROJECT);
    const opened: string[] = [];
    for (let i = 0; i < MAX_LIVE_TRANSACTIONS_PER_USER; i++) opened.push((await createTransaction(deps, PROJECT, user, {})).$id as string);
    await assert.rejects(createTransaction(deps, PROJECT, user, {}), { type: 'transaction_limit_exceeded' });

    const [first, second] = opened as [string, string];
    await stageOperations(deps, PROJECT, TABLES_API, user, first, [{ action: 'create', databaseId: 'db', collectionId: 'notes', documentId: 'n1', data: {} }]);
    const firstSeq = (await findTransaction(db, first))!.seq;
    assert.equal((await listOperations(db, firstSeq)).length, 1);
    const past = new Date(Date.now() - 1000).toISOString();
    await setTransactionExpiry(db, first, past);
    await setTransactionExpiry(db, second, past);

    await createTransaction(deps, PROJECT, user, {});
    assert.equal(await findTransaction(db, first), undefined);
    assert.equal(await findTransaction(db, second), undefined);
    assert.deepEqual(await listOperations(db, firstSeq), []);
    assert.ok(await findTransaction(db, opened[2]!), 'live transactions stay');
    // One expired slot was taken by the new transaction, the other is free.
    await createTransaction(deps, PROJECT, user, {});
    await assert.rejects(createTransaction(deps, PROJECT, user, {}), { type: 'transaction_limit_exceeded' });
  });
});

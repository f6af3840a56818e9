import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Permission, RelationMutate, RelationshipType, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { signUpUser, startDatabaseServer, waitForSchema, type DatabaseUser } from './helpers.js';

const PROJECT = 'relanswers';
const DB = 'answers';

type Data = Record<string, any>;

/**
 * As Appwrite 1.9's, the answer to a create, update or upsert carries each relationship's
 * related records whole, two levels deep, without the way back of a two-way relationship.
 */
describe('relationship values in the answers to writes', () => {
  let server: TestServer;
  let key: string;
  let tables: TablesDB;
  let databases: Databases;
  let alice: DatabaseUser;

  /** With row security, users read only the rows that grant them read. */
  const table = async (tableId: string, columns: string[], rowSecurity = false) => {
    const permissions = rowSecurity ? [Permission.create(Role.users())] : [Permission.create(Role.users()), Permission.read(Role.users())];
    await tables.createTable({ databaseId: DB, tableId, name: tableId, rowSecurity, permissions });
    for (const column of columns) await tables.createStringColumn({ databaseId: DB, tableId, key: column, size: 64, required: false });
  };
  const relate = async (tableId: string, relatedTableId: string, type: RelationshipType, options: { key: string; twoWay?: boolean; twoWayKey?: string }) => {
    await tables.createRelationshipColumn({ databaseId: DB, tableId, relatedTableId, type, onDelete: RelationMutate.SetNull, ...options });
    await waitForSchema(tables, DB, tableId);
    await waitForSchema(tables, DB, relatedTableId);
  };

  before(async () => {
    ({ server, key, tables, databases } = await startDatabaseServer(PROJECT));
    alice = await signUpUser(server, PROJECT, key, 'Alice');
    await tables.create({ databaseId: DB, name: 'Answers' });
    await table('person', ['fullName']);
    await table('library', ['libraryName']);
    await relate('person', 'library', RelationshipType.OneToOne, { key: 'library', twoWay: true, twoWayKey: 'person' });
    await table('sports', ['name'], true);
    await table('players', ['name'], true);
    await relate('sports', 'players', RelationshipType.ManyToMany, { key: 'players', twoWay: true, twoWayKey: 'sports' });
    // A one-way chain three links long, to see where the answer stops.
    for (const name of ['c1', 'c2', 'c3', 'c4']) await table(name, ['name']);
    await relate('c1', 'c2', RelationshipType.ManyToOne, { key: 'next' });
    await relate('c2', 'c3', RelationshipType.ManyToOne, { key: 'next' });
    await relate('c3', 'c4', RelationshipType.ManyToOne, { key: 'next' });
  });
  after(() => server.stop());

  test('a created document carries its nested related document, named and numbered, without the way back', async () => {
    const person = (await databases.createDocument({
      databaseId: DB,
      collectionId: 'person',
      documentId: 'p1',
      data: { fullName: 'Stevie', library: { $id: 'library1', $permissions: [Permission.read(Role.any())], libraryName: 'Library 1' } } as never,
    })) as Data;
    assert.equal(person.library.libraryName, 'Library 1');
    assert.deepEqual([person.library.$id, person.library.$databaseId, person.library.$collectionId], ['library1', DB, 'library']);
    assert.deepEqual(person.library.$permissions, [Permission.read(Role.any())]);
    assert.equal(typeof person.library.$sequence, 'string');
    assert.equal('person' in person.library, false);
    assert.equal('$collection' in person.library, false);
    // Without a nested id the related document gets one of its own.
    const second = (await databases.createDocument({ databaseId: DB, collectionId: 'person', documentId: 'p2', data: { library: { libraryName: 'Library 2' } } as never })) as Data;
    assert.equal(second.library.libraryName, 'Library 2');
    assert.match(second.library.$id, /^[0-9a-f]{20}$/);
    // The other side, written by id, answers with the person; a write without a value answers null.
    const library = (await tables.createRow({ databaseId: DB, tableId: 'library', rowId: 'library3', data: { libraryName: 'Library 3' } as never })) as Data;
    assert.equal(library.person, null);
    const linked = (await tables.updateRow({ databaseId: DB, tableId: 'library', rowId: 'library3', data: { person: 'p3' } as never }).catch((error) => error)) as Data;
    assert.equal(linked.code, 400);
    await tables.createRow({ databaseId: DB, tableId: 'person', rowId: 'p3', data: { fullName: 'Third' } as never });
    const relinked = (await tables.updateRow({ databaseId: DB, tableId: 'library', rowId: 'library3', data: { person: 'p3' } as never })) as Data;
    assert.deepEqual([relinked.person.$id, relinked.person.fullName, relinked.person.$tableId, 'library' in relinked.person], ['p3', 'Third', 'person', false]);
  });

  test('many related documents come in creation order with the permissions they were given', async () => {
    const permissions = [Permission.read(Role.user(alice.userId)), Permission.update(Role.user(alice.userId))];
    const sport = (await alice.tables.createRow({
      databaseId: DB,
      tableId: 'sports',
      rowId: 'sport1',
      permissions,
      data: { name: 'Sport 1', players: [{ $id: 'player1', name: 'Player 1' }, { $id: 'player2', name: 'Player 2' }] } as never,
    })) as Data;
    assert.deepEqual(sport.players.map((p: Data) => [p.$id, p.name]), [['player1', 'Player 1'], ['player2', 'Player 2']]);
    assert.deepEqual(sport.players.map((p: Data) => p.$permissions), [permissions, permissions]);
    assert.equal(sport.players.some((p: Data) => 'sports' in p), false);
    // A player's answer lists its sports.
    const player = (await tables.updateRow({ databaseId: DB, tableId: 'players', rowId: 'player1', data: { name: 'Player One' } as never })) as Data;
    assert.deepEqual(player.sports.map((s: Data) => [s.$id, s.name, 'players' in s]), [['sport1', 'Sport 1', false]]);
  });

  test('related documents the writer may not read are left out of its answer', async () => {
    await tables.createRow({ databaseId: DB, tableId: 'players', rowId: 'hidden', data: { name: 'Hidden' } as never, permissions: [] });
    // The key sees both.
    const all = (await tables.updateRow({ databaseId: DB, tableId: 'sports', rowId: 'sport1', data: { players: ['player1', 'hidden'] } as never })) as Data;
    assert.deepEqual(all.players.map((p: Data) => p.$id), ['player1', 'hidden']);
    const sport = (await alice.tables.upsertRow({ databaseId: DB, tableId: 'sports', rowId: 'sport1', data: { name: 'Sport One' } as never })) as Data;
    assert.deepEqual([sport.name, sport.players.map((p: Data) => p.$id)], ['Sport One', ['player1']]);
  });

  test('upserts answer with related documents whether they create or update', async () => {
    const created = (await databases.upsertDocument({
      databaseId: DB,
      collectionId: 'person',
      documentId: 'p4',
      data: { library: { $id: 'library4', libraryName: 'Library 4' } } as never,
    })) as Data;
    assert.equal(created.library.libraryName, 'Library 4');
    const updated = (await databases.upsertDocument({
      databaseId: DB,
      collectionId: 'person',
      documentId: 'p4',
      data: { library: { $id: 'library4', libraryName: 'Library Four' } } as never,
    })) as Data;
    assert.deepEqual([updated.library.$id, updated.library.libraryName], ['library4', 'Library Four']);
    const renamed = (await tables.upsertRow({ databaseId: DB, tableId: 'person', rowId: 'p4', data: { fullName: 'Four' } as never })) as Data;
    assert.deepEqual([renamed.fullName, renamed.library.$id, renamed.library.$tableId], ['Four', 'library4', 'library']);
  });

  test('the answer goes two levels deep; the last level has no relationship keys', async () => {
    const first = (await tables.createRow({
      databaseId: DB,
      tableId: 'c1',
      rowId: 'one',
      data: { name: '1', next: { $id: 'two', name: '2', next: { $id: 'three', name: '3', next: { $id: 'four', name: '4' } } } } as never,
    })) as Data;
    assert.deepEqual([first.next.$id, first.next.next.$id, first.next.next.name], ['two', 'three', '3']);
    assert.equal('next' in first.next.next, false);
    // All four were written, and a read leaves relationships out unless selected.
    const fourth = (await tables.getRow({ databaseId: DB, tableId: 'c4', rowId: 'four' })) as Data;
    assert.equal(fourth.name, '4');
    assert.equal('next' in (await tables.getRow({ databaseId: DB, tableId: 'c1', rowId: 'one' })), false);
  });

  test('bulk writes to a collection with relationships are refused in Appwrite\'s words', async () => {
    const person = { databaseId: DB, collectionId: 'person' };
    const table = { databaseId: DB, tableId: 'person' };
    const refused = (operation: string, api: string, what = 'attributes') => `Bulk ${operation} is not supported for ${api} with relationship ${what}`;
    await rejectsWith(databases.createDocuments({ ...person, documents: [{ $id: 'x' }] }), 400, 'general_bad_request', refused('create', 'databases'));
    await rejectsWith(tables.createRows({ ...table, rows: [{ $id: 'x' }] }), 400, 'general_bad_request', refused('create', 'tablesDB', 'columns'));
    await rejectsWith(databases.upsertDocuments({ ...person, documents: [{ $id: 'x' }] }), 400, 'general_bad_request', refused('upsert', 'databases'));
    await rejectsWith(tables.updateRows({ ...table, data: { fullName: 'x' } }), 400, 'general_bad_request', refused('update', 'tablesDB'));
    await rejectsWith(tables.deleteRows(table), 400, 'general_bad_request', refused('delete', 'tablesDB'));
  });
});

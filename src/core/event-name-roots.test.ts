import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameRootsOf, namesOfRoots } from './event-name-roots.js';
import { eventNames } from './events.js';

/** The names of one database write, as the databases service joins its three naming schemes. */
function documentNames(id: string, action: string): string[] {
  const schemes = [
    eventNames([['databases', 'db'], ['collections', 'posts'], ['documents', id]], action),
    eventNames([['databases', 'db'], ['tables', 'posts'], ['rows', id]], action),
    eventNames([['tablesdb', 'db'], ['tables', 'posts'], ['rows', id]], action),
  ];
  return [...new Set(schemes.flat())];
}

test("a document write's names come back, in their order, from three roots", () => {
  const names = documentNames('p1', 'create');
  const roots = nameRootsOf(names);
  assert.deepEqual(roots, [
    ['databases.db.collections.posts.documents.p1', 'create'],
    ['databases.db.tables.posts.rows.p1', 'create'],
    ['tablesdb.db.tables.posts.rows.p1', 'create'],
  ]);
  assert.deepEqual(namesOfRoots(roots!), names);
});

test('an action with an attribute, and names without an action, keep their roots', () => {
  for (const names of [eventNames([['users', 'u1']], 'update', 'prefs'), eventNames([['users', 'u1'], ['sessions', 's1']]), eventNames([['teams', 't1']], 'delete')]) {
    const roots = nameRootsOf(names);
    assert.equal(roots?.length, 1, names[0]);
    assert.deepEqual(namesOfRoots(roots!), names);
  }
  assert.deepEqual(nameRootsOf(eventNames([['users', 'u1']], 'update', 'prefs')), [['users.u1', 'update', 'prefs']]);
});

test('names that are no such list, or in another order, have no roots', () => {
  const names = documentNames('p1', 'update');
  assert.equal(nameRootsOf([...names].reverse()), undefined);
  assert.equal(nameRootsOf([...names, 'databases.db']), undefined, 'a repeat');
  assert.equal(nameRootsOf(names.slice(1)), undefined, 'a name missing');
  assert.equal(nameRootsOf([...names, 'other.thing.*']), undefined, 'a stray wildcard');
  assert.equal(nameRootsOf(['ping']), undefined);
  assert.deepEqual(nameRootsOf([]), []);
});

test('an id holding a dot has no roots: its path would split it wrongly', () => {
  assert.equal(nameRootsOf(documentNames('a.b', 'create')), undefined);
});

test('a root spells the same names whatever was spelled before it', () => {
  assert.deepEqual(namesOfRoots([['ping', 'a']]), []);
  assert.deepEqual(namesOfRoots([['pin.x', 'a']]), eventNames([['pin', 'x']], 'a'));
  assert.deepEqual(namesOfRoots([['users.u1.sessions', 'a']]), [], 'a path of an odd number of parts');
  assert.deepEqual(namesOfRoots([['users.u2.sessions.s2', 'delete']]), eventNames([['users', 'u2'], ['sessions', 's2']], 'delete'));
});

test('names shaped like earlier ones are read the same way, and still checked name by name', () => {
  assert.ok(nameRootsOf(documentNames('p1', 'create')));
  const next = documentNames('p2', 'create');
  assert.deepEqual(nameRootsOf(next)?.map((root) => root[0]), ['databases.db.collections.posts.documents.p2', 'databases.db.tables.posts.rows.p2', 'tablesdb.db.tables.posts.rows.p2']);
  const altered = documentNames('p3', 'create');
  altered[40] = 'databases.db.tables.posts.rows.p4';
  assert.equal(nameRootsOf(altered), undefined);
  const otherIds = [...eventNames([['databases', 'db'], ['collections', 'posts'], ['documents', 'p5']], 'create'), ...eventNames([['tablesdb', 'db'], ['tables', 'posts'], ['rows', 'p6']], 'create')];
  assert.deepEqual(namesOfRoots(nameRootsOf(otherIds)!), otherIds, 'roots with different last ids');
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Permission, Role, Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpStorageUser, startStorageServer, type StorageUser } from './helpers.js';

const PROJECT = 'fileperms';
const text = (content: string, name = 'note.txt') => InputFile.fromBuffer(Buffer.from(content), name);

describe('bucket and file permissions', () => {
  let server: TestServer;
  let admin: Storage;
  let ada: StorageUser;
  let bob: StorageUser;
  let guest: Storage;

  const ids = (files: { $id: string }[]) => files.map((file) => file.$id);

  before(async () => {
    let key: string;
    ({ server, key, storage: admin } = await startStorageServer(PROJECT));
    ada = await signUpStorageUser(server, PROJECT, key, 'Ada');
    bob = await signUpStorageUser(server, PROJECT, key, 'Bob');
    guest = new Storage(sdkClient(server, PROJECT));
    // Users add files and see only what their files allow.
    await admin.createBucket({ bucketId: 'private', name: 'Private', permissions: [Permission.create(Role.users())], fileSecurity: true });
    // Anyone reads; users add and change any file; files have no say.
    await admin.createBucket({
      bucketId: 'wall',
      name: 'Wall',
      permissions: [Permission.read(Role.any()), Permission.create(Role.users()), Permission.update(Role.users())],
      fileSecurity: false,
    });
    await admin.createBucket({ bucketId: 'closed', name: 'Closed', permissions: [], fileSecurity: true });
  });
  after(() => server.stop());

  test("a user's file defaults to read, update and delete for that user alone; a key's to nothing", async () => {
    const file = await ada.storage.createFile({ bucketId: 'private', fileId: 'ada-note', file: text('mine') });
    const self = `user:${ada.userId}`;
    assert.deepEqual([...file.$permissions], [`read("${self}")`, `update("${self}")`, `delete("${self}")`]);
    assert.equal(Buffer.from(await ada.storage.getFileDownload({ bucketId: 'private', fileId: 'ada-note' })).toString(), 'mine');
    await rejectsWith(bob.storage.getFile({ bucketId: 'private', fileId: 'ada-note' }), 404, 'storage_file_not_found');
    await rejectsWith(bob.storage.getFileDownload({ bucketId: 'private', fileId: 'ada-note' }), 404, 'storage_file_not_found');
    // As Appwrite: changing or deleting does not need reading, so a file one may not change answers 401 even unseen.
    await rejectsWith(bob.storage.updateFile({ bucketId: 'private', fileId: 'ada-note', name: 'x' }), 401, 'user_unauthorized');
    await rejectsWith(bob.storage.updateFile({ bucketId: 'private', fileId: 'ada-note', permissions: [] }), 401, 'user_unauthorized');
    await rejectsWith(guest.updateFile({ bucketId: 'private', fileId: 'ada-note', permissions: [] }), 401, 'user_unauthorized');
    await rejectsWith(bob.storage.deleteFile({ bucketId: 'private', fileId: 'ada-note' }), 401, 'user_unauthorized');
    await rejectsWith(guest.getFile({ bucketId: 'private', fileId: 'ada-note' }), 404, 'storage_file_not_found');
    const byKey = await admin.createFile({ bucketId: 'private', fileId: 'key-note', file: text('server') });
    assert.deepEqual([...byKey.$permissions], []);
    await rejectsWith(ada.storage.getFile({ bucketId: 'private', fileId: 'key-note' }), 404, 'storage_file_not_found');
  });

  test('lists show the files the caller may read, filtered in the query', async () => {
    await ada.storage.createFile({ bucketId: 'private', fileId: 'ada-public', file: text('hi'), permissions: [Permission.read(Role.any()), Permission.update(Role.user(ada.userId))] });
    await bob.storage.createFile({ bucketId: 'private', fileId: 'bob-note', file: text('bob') });
    assert.deepEqual(ids((await ada.storage.listFiles({ bucketId: 'private' })).files), ['ada-note', 'ada-public']);
    const bobs = await bob.storage.listFiles({ bucketId: 'private' });
    assert.deepEqual(ids(bobs.files), ['ada-public', 'bob-note']);
    assert.equal(bobs.total, 2);
    assert.deepEqual(ids((await guest.listFiles({ bucketId: 'private' })).files), ['ada-public']);
    assert.equal((await admin.listFiles({ bucketId: 'private' })).total, 4);
  });

  test('a read-only file refuses changes with user_unauthorized; grants beyond your roles are refused', async () => {
    await rejectsWith(bob.storage.updateFile({ bucketId: 'private', fileId: 'ada-public', name: 'mine now' }), 401, 'user_unauthorized');
    await rejectsWith(bob.storage.deleteFile({ bucketId: 'private', fileId: 'ada-public' }), 401, 'user_unauthorized');
    await rejectsWith(
      ada.storage.createFile({ bucketId: 'private', fileId: 'for-bob', file: text('x'), permissions: [Permission.read(Role.user(bob.userId))] }),
      401,
      'user_unauthorized',
    );
    const renamed = await ada.storage.updateFile({ bucketId: 'private', fileId: 'ada-public', name: 'public.txt', permissions: [Permission.read(Role.users())] });
    assert.equal(renamed.name, 'public.txt');
    assert.deepEqual([...renamed.$permissions], ['read("users")']);
    await rejectsWith(guest.getFile({ bucketId: 'private', fileId: 'ada-public' }), 404, 'storage_file_not_found');
    assert.equal((await bob.storage.getFile({ bucketId: 'private', fileId: 'ada-public' })).name, 'public.txt');
  });

  test('deleting needs delete permission only, checked as Appwrite checks it', async () => {
    await ada.storage.createFile({ bucketId: 'private', fileId: 'for-bob-to-delete', file: text('x'), permissions: [Permission.delete(Role.users())] });
    await rejectsWith(bob.storage.getFile({ bucketId: 'private', fileId: 'for-bob-to-delete' }), 404, 'storage_file_not_found');
    await bob.storage.deleteFile({ bucketId: 'private', fileId: 'for-bob-to-delete' });
    await rejectsWith(admin.getFile({ bucketId: 'private', fileId: 'for-bob-to-delete' }), 404, 'storage_file_not_found');
    // With file security a missing file is not found; without it and no bucket grant, the answer comes first.
    await rejectsWith(bob.storage.deleteFile({ bucketId: 'private', fileId: 'never-was' }), 404, 'storage_file_not_found');
    await rejectsWith(bob.storage.deleteFile({ bucketId: 'wall', fileId: 'never-was' }), 401, 'user_unauthorized');
  });

  test('updating needs update permission only; a request that changes nothing needs read', async () => {
    const self = Role.user(ada.userId);
    await ada.storage.createFile({ bucketId: 'private', fileId: 'blind-drop', file: text('x'), permissions: [Permission.update(Role.users()), Permission.read(self)] });
    await rejectsWith(bob.storage.getFile({ bucketId: 'private', fileId: 'blind-drop' }), 404, 'storage_file_not_found');
    assert.equal((await bob.storage.updateFile({ bucketId: 'private', fileId: 'blind-drop', name: 'renamed by bob' })).name, 'renamed by bob');
    // Readable but not updatable: the same name is no change and is answered; a new one is refused.
    const shown = await ada.storage.createFile({ bucketId: 'private', fileId: 'notice', file: text('x', 'notice.txt'), permissions: [Permission.read(Role.users())] });
    const same = await bob.storage.updateFile({ bucketId: 'private', fileId: 'notice', name: 'notice.txt' });
    assert.equal(same.$updatedAt, shown.$updatedAt);
    await rejectsWith(bob.storage.updateFile({ bucketId: 'private', fileId: 'notice', name: 'other.txt' }), 401, 'user_unauthorized');
    // With file security a missing file is not found; without it and no bucket grant, the answer comes first.
    await rejectsWith(bob.storage.updateFile({ bucketId: 'private', fileId: 'never-was', name: 'x' }), 404, 'storage_file_not_found');
    await rejectsWith(bob.storage.updateFile({ bucketId: 'closed', fileId: 'never-was', name: 'x' }), 404, 'storage_file_not_found');
    await admin.createBucket({ bucketId: 'read-only', name: 'Read only', permissions: [Permission.read(Role.any())], fileSecurity: false });
    await admin.createFile({ bucketId: 'read-only', fileId: 'kept', file: text('kept') });
    for (const fileId of ['kept', 'never-was']) {
      await rejectsWith(bob.storage.updateFile({ bucketId: 'read-only', fileId, name: 'x' }), 401, 'user_unauthorized');
      await rejectsWith(guest.updateFile({ bucketId: 'read-only', fileId, permissions: [] }), 401, 'user_unauthorized');
    }
    assert.equal((await admin.updateFile({ bucketId: 'read-only', fileId: 'kept', name: 'by key' })).name, 'by key');
  });

  test('without file security only the bucket counts', async () => {
    const file = await ada.storage.createFile({ bucketId: 'wall', fileId: 'poster', file: text('poster') });
    assert.equal((await guest.getFile({ bucketId: 'wall', fileId: 'poster' })).$id, 'poster');
    assert.equal(Buffer.from(await guest.getFileView({ bucketId: 'wall', fileId: 'poster' })).toString(), 'poster');
    // The bucket lets users update; the file's own grants do not matter either way.
    assert.equal((await bob.storage.updateFile({ bucketId: 'wall', fileId: 'poster', name: 'by bob' })).name, 'by bob');
    await rejectsWith(bob.storage.deleteFile({ bucketId: 'wall', fileId: 'poster' }), 401, 'user_unauthorized');
    await rejectsWith(ada.storage.deleteFile({ bucketId: 'wall', fileId: file.$id }), 401, 'user_unauthorized');
    await rejectsWith(guest.createFile({ bucketId: 'wall', fileId: 'graffiti', file: text('x') }), 401, 'user_unauthorized');
    await rejectsWith(ada.storage.createFile({ bucketId: 'closed', fileId: 'x', file: text('x') }), 401, 'user_unauthorized');
    // File security on: the list is filtered; off with no bucket read: refused.
    assert.equal((await ada.storage.listFiles({ bucketId: 'closed' })).total, 0);
    await admin.createBucket({ bucketId: 'sealed', name: 'Sealed', fileSecurity: false });
    await rejectsWith(ada.storage.listFiles({ bucketId: 'sealed' }), 401, 'user_unauthorized');
    // Reading a file there is refused the same way, whether or not the file exists, as Appwrite answers.
    await admin.createFile({ bucketId: 'sealed', fileId: 'kept', file: text('kept') });
    for (const fileId of ['kept', 'never-was']) {
      for (const read of [
        () => ada.storage.getFile({ bucketId: 'sealed', fileId }),
        () => guest.getFileDownload({ bucketId: 'sealed', fileId }),
        () => guest.getFileView({ bucketId: 'sealed', fileId }),
        () => guest.getFilePreview({ bucketId: 'sealed', fileId }),
      ]) {
        await rejectsWith(read(), 401, 'user_unauthorized', "No permissions provided for action 'read'");
      }
    }
  });

  test('a disabled bucket is not found for users and guests, and keys still use it', async () => {
    await admin.updateBucket({ bucketId: 'wall', name: 'Wall', enabled: false, permissions: [Permission.read(Role.any()), Permission.create(Role.users())] });
    await rejectsWith(guest.getFile({ bucketId: 'wall', fileId: 'poster' }), 404, 'storage_bucket_not_found');
    await rejectsWith(ada.storage.listFiles({ bucketId: 'wall' }), 404, 'storage_bucket_not_found');
    await rejectsWith(ada.storage.createFile({ bucketId: 'wall', fileId: 'x', file: text('x') }), 404, 'storage_bucket_not_found');
    await rejectsWith(guest.getFileDownload({ bucketId: 'wall', fileId: 'poster' }), 404, 'storage_bucket_not_found');
    assert.equal((await admin.getFile({ bucketId: 'wall', fileId: 'poster' })).name, 'by bob');
    await admin.createFile({ bucketId: 'wall', fileId: 'by-key', file: text('k') });
    await admin.updateBucket({ bucketId: 'wall', name: 'Wall', enabled: true, permissions: [Permission.read(Role.any())] });
    assert.equal((await guest.listFiles({ bucketId: 'wall' })).total, 2);
  });

  test('buckets are managed with keys only', async () => {
    await rejectsWith(ada.storage.listBuckets(), 401, 'general_unauthorized_scope');
    await rejectsWith(guest.createBucket({ bucketId: 'mine', name: 'Mine' }), 401, 'general_unauthorized_scope');
  });
});

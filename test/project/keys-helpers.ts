import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppwriteException, Project } from 'node-appwrite';
import type { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

/** Fails unless the call is refused with this status and error type. */
export async function assertAppwriteError(call: Promise<unknown>, code: number, type: string): Promise<AppwriteException> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof AppwriteException, `expected an AppwriteException, got ${String(error)}`);
    assert.equal(error.type, type, error.message);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code} ${type}, but the call succeeded`);
}

/** The `Project` service of the SDK, signed in with a key. */
export function projectService(server: TestServer, projectId: string, key?: string): Project {
  return new Project(sdkClient(server, projectId, key));
}

/** The server secret the server made in its data directory (no PLINTH_SECRET in tests). */
export async function readServerSecret(server: TestServer): Promise<Buffer> {
  return Buffer.from((await readFile(join(server.dataDir, 'secret.key'), 'utf8')).trim(), 'hex');
}

/** Resolves once the wall clock has passed the given datetime, plus a margin. */
export async function untilPassed(datetime: string, marginMs = 50): Promise<void> {
  const wait = Date.parse(datetime) - Date.now() + marginMs;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

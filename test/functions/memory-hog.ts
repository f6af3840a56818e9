import assert from 'node:assert/strict';
import type { Functions } from 'node-appwrite';

/** Cgroups are the server's to write only as root (as on CI); elsewhere memory falls back to RLIMIT_DATA and no quota holds. */
export const CGROUPS = process.getuid?.() === 0;

/**
 * Calls the function's `/hog` path, which allocates until it is stopped: the execution fails with a
 * 500 and the out-of-memory error naming the limit, the server stays up, and the next execution
 * gets a fresh process that answers.
 */
export async function assertHogStopped(functions: Functions, endpoint: string, functionId: string, memoryMb: number): Promise<void> {
  const hog = await functions.createExecution({ functionId, xpath: '/hog' });
  assert.equal(hog.status, 'failed');
  assert.equal(hog.responseStatusCode, 500);
  assert.match(hog.errors, CGROUPS ? new RegExp(`ran out of memory.*${memoryMb} MB`) : /allocation failed|out of memory/i);
  const health = await fetch(`${endpoint}/health/version`);
  assert.equal(health.status, 200);
  const after = await functions.createExecution({ functionId });
  assert.equal(after.status, 'completed', after.errors);
}

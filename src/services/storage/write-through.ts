import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ServiceDeps } from '../deps.js';

/**
 * Streams the body through the stages into the store. When a stage fails (a size limit, a
 * bad chunk) its error is the one thrown; when the store fails (a full disk) its own error
 * is, even though the stages then see only an abort: the answer never depends on which
 * side noticed first.
 */
export async function writeThrough(deps: ServiceDeps, path: string, body: Readable, stages: Transform[]): Promise<number> {
  if (stages.length === 0) return deps.files.write(path, body);
  const last = stages[stages.length - 1]!;
  const flowing = pipeline([body, ...stages]);
  const writing = deps.files.write(path, last).catch((error: unknown) => {
    // A store that gives up without reading on must still stop the stages feeding it.
    last.destroy(error as Error);
    throw error;
  });
  const [flowed, written] = await Promise.allSettled([flowing, writing]);
  if (flowed.status === 'rejected' && !(written.status === 'rejected' && isAbort(flowed.reason))) throw flowed.reason;
  if (written.status === 'rejected') throw written.reason;
  return written.value;
}

/** What a stream reports when it was torn down from the other end rather than failing itself. */
function isAbort(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

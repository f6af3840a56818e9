import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FileRow } from '../../data/storage/files.js';
import type { ServiceDeps } from '../deps.js';
import { isActiveContent } from './mime-types.js';
import { parseRange, readContent } from './reading.js';

export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** `filename` for old clients (ASCII, quotes escaped) and `filename*` with the real name. */
function contentDisposition(disposition: string, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Sends a file's bytes with the headers browsers and caches rely on: its signature as ETag,
 * a private cache, ranges. A view of active content (HTML, SVG, scripts) is sent as plain
 * text in a sandbox, so a file can never run as a page of this origin.
 */
export async function sendContent(
  deps: ServiceDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  file: FileRow,
  disposition: 'attachment' | 'inline',
  maxAgeSeconds = 3600,
): Promise<FastifyReply> {
  const etag = `"${file.signature}"`;
  reply
    .header('ETag', etag)
    .header('Cache-Control', `private, max-age=${maxAgeSeconds}`)
    .header('Accept-Ranges', 'bytes')
    .header('Content-Security-Policy', 'sandbox')
    .header('Content-Disposition', contentDisposition(disposition, file.name))
    .header('Content-Type', disposition === 'inline' && isActiveContent(file.mime_type) ? 'text/plain; charset=utf-8' : file.mime_type);
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) return reply.code(304).send();
  const size = file.size_original;
  let range;
  try {
    range = parseRange(header(request, 'range'), size);
  } catch (error) {
    reply.header('Content-Range', `bytes */${size}`);
    throw error;
  }
  if (range) {
    reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${size}`).header('Content-Length', range.end - range.start + 1);
  } else {
    reply.header('Content-Length', size);
  }
  return reply.send(await readContent(deps, request.ctx.projectId, file, range));
}

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { parseDateTimeInput } from '../../core/datetime-input.js';

/** Ids in paths: checked by the logic (custom id rules), here only bounded. */
export const pathId = z.string().min(1).max(36);
export const permissionsParam = z.array(z.string().max(512)).max(100);
export const nameParam = z.string().min(1).max(128);

/**
 * `X-Appwrite-Timestamp`: when the client last read what it now writes. A write to a document
 * changed after that time is refused (409), so an offline client's queued write cannot overwrite
 * a newer one.
 */
export function requestTimestamp(request: FastifyRequest): Date | undefined {
  const header = request.headers['x-appwrite-timestamp'];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const date = parseDateTimeInput(value);
  if (!date) throw new AppError('general_argument_invalid', 'Invalid X-Appwrite-Timestamp header value');
  return date;
}

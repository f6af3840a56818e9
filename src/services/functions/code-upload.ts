import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { ServiceDeps } from '../deps.js';
import { DEFAULT_FUNCTIONS_SETTINGS } from './settings.js';

/** The largest deployment archive this server takes, for functions and sites alike. */
export function maxCodeBytes(deps: Pick<ServiceDeps, 'functions'>): number {
  return (deps.functions ?? DEFAULT_FUNCTIONS_SETTINGS).maxCodeBytes;
}

export interface UploadedDeployment {
  file: string;
  size: number;
  fields: Record<string, string>;
}

/**
 * Streams the `code` part to a file in `dir` (beside the resource's deployments) and collects the
 * other fields; a part over `maxBytes` is refused (a chunk is checked against its total by the caller).
 */
export async function receiveUpload(request: FastifyRequest, dir: string, maxBytes: number): Promise<UploadedDeployment> {
  await mkdir(dir, { recursive: true });
  const fields: Record<string, string> = {};
  let upload: { file: string; size: number } | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'code' || upload) {
          part.file.resume();
          continue;
        }
        const file = join(dir, `upload-${randomBytes(8).toString('hex')}.tar.gz`);
        upload = { file, size: 0 };
        const target = upload;
        part.file.on('data', (chunk: Buffer) => (target.size += chunk.length));
        await pipeline(part.file, createWriteStream(file));
        if (part.file.truncated) throw new AppError('storage_invalid_file_size', `The code archive is larger than ${maxBytes} bytes.`);
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (upload) await rm(upload.file, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError('storage_invalid_file', `The upload could not be read: ${(error as Error).message}`);
  }
  if (!upload) throw new AppError('general_argument_invalid', 'Param "code" is not optional.');
  if (upload.size === 0) {
    await rm(upload.file, { force: true });
    throw new AppError('storage_file_empty');
  }
  return { ...upload, fields };
}

export function readBoolean(value: string | undefined, name: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new AppError('general_argument_invalid', `Invalid \`${name}\` param: Value must be a valid boolean`);
}

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import {
  cancelDeployment,
  createDeployment,
  deleteDeployment,
  downloadDeployment,
  duplicateDeployment,
  getDeployment,
  listDeployments,
  setActiveDeployment,
} from './deployments.js';
import { parseContentRange, receiveDeploymentChunk } from './chunked-upload.js';
import { requireFunction } from './functions.js';
import { functionCacheDir } from './storage-paths.js';

const read = { scope: 'functions.read' };
const write = { scope: 'functions.write' };

/** Appwrite's default limit on a function's code archive. */
const MAX_CODE_BYTES = 30 * 1024 * 1024;

const functionParams = z.object({ functionId: z.string().max(36) });
const deploymentParams = z.object({ functionId: z.string().max(36), deploymentId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const activateBody = z.object({ deploymentId: z.string().max(36) });
const duplicateBody = z.object({ deploymentId: z.string().max(36), buildId: z.string().max(36).optional() });
const downloadQuery = z.object({ type: z.enum(['source', 'output'], { error: 'Invalid `type` param: Value must be one of (source, output)' }).default('source') });

interface UploadedDeployment {
  file: string;
  size: number;
  fields: Record<string, string>;
}

/** Streams the `code` part to a file beside the function's deployments and collects the other fields. */
async function receiveUpload(request: FastifyRequest, dir: string): Promise<UploadedDeployment> {
  await mkdir(dir, { recursive: true });
  const fields: Record<string, string> = {};
  let upload: { file: string; size: number } | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_CODE_BYTES, files: 1, fields: 10 } })) {
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
        if (part.file.truncated) throw new AppError('storage_invalid_file_size', `The code archive is larger than ${MAX_CODE_BYTES} bytes.`);
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

function readBoolean(value: string | undefined, name: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new AppError('general_argument_invalid', `Invalid \`${name}\` param: Value must be a valid boolean`);
}

/** Deployments: uploads, builds, activation, downloads. */
export function deploymentRoutes(deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: z.infer<typeof functionParams> }>(
      '/functions/:functionId/deployments',
      { config: write, schema: { params: functionParams } },
      async (request, reply) => {
        const { projectId } = request.ctx;
        const { functionId } = request.params;
        await requireFunction(deps, projectId, functionId);
        if (!request.isMultipart()) throw new AppError('general_argument_invalid', 'Send the deployment as multipart/form-data with a `code` file.');
        const rangeHeader = request.headers['content-range'];
        const range = typeof rangeHeader === 'string' ? parseContentRange(rangeHeader) : undefined;
        const upload = await receiveUpload(request, functionCacheDir(deps.dataDir, projectId, functionId));
        try {
          const activate = readBoolean(upload.fields.activate, 'activate');
          if (range) {
            const uploadId = request.headers['x-appwrite-id'];
            const chunk = await receiveDeploymentChunk(deps, projectId, functionId, {
              uploadedFile: upload.file,
              size: upload.size,
              range,
              uploadId: typeof uploadId === 'string' && uploadId !== '' ? uploadId : undefined,
              activate,
              entrypoint: upload.fields.entrypoint,
              commands: upload.fields.commands,
              maxBytes: MAX_CODE_BYTES,
            });
            return reply.code(202).send(chunk);
          }
          const model = await createDeployment(deps, projectId, functionId, {
            uploadedFile: upload.file,
            size: upload.size,
            activate,
            entrypoint: upload.fields.entrypoint,
            commands: upload.fields.commands,
          });
          return reply.code(202).send(model);
        } catch (error) {
          await rm(upload.file, { force: true });
          throw error;
        }
      },
    );

    app.get<{ Params: z.infer<typeof functionParams>; Querystring: z.infer<typeof listQuery> }>(
      '/functions/:functionId/deployments',
      { config: read, schema: { params: functionParams, querystring: listQuery } },
      async (request) => listDeployments(deps, request.ctx.projectId, request.params.functionId, request.query),
    );

    app.post<{ Params: z.infer<typeof functionParams>; Body: z.infer<typeof duplicateBody> }>(
      '/functions/:functionId/deployments/duplicate',
      { config: write, schema: { params: functionParams, body: duplicateBody } },
      async (request, reply) =>
        reply.code(202).send(await duplicateDeployment(deps, request.ctx.projectId, request.params.functionId, request.body.deploymentId)),
    );

    // Deployments from templates and Git repositories need a Git provider, which this server does not offer.
    for (const source of ['template', 'vcs']) {
      app.post<{ Params: z.infer<typeof functionParams> }>(
        `/functions/:functionId/deployments/${source}`,
        { config: write, schema: { params: functionParams } },
        async (request) => {
          await requireFunction(deps, request.ctx.projectId, request.params.functionId);
          throw new AppError('general_not_implemented', 'Deployments from templates and Git repositories are not supported by this server; upload a .tar.gz instead.');
        },
      );
    }

    app.get<{ Params: z.infer<typeof deploymentParams> }>(
      '/functions/:functionId/deployments/:deploymentId',
      { config: read, schema: { params: deploymentParams } },
      async (request) => getDeployment(deps, request.ctx.projectId, request.params.functionId, request.params.deploymentId),
    );

    app.delete<{ Params: z.infer<typeof deploymentParams> }>(
      '/functions/:functionId/deployments/:deploymentId',
      { config: write, schema: { params: deploymentParams } },
      async (request, reply) => {
        await deleteDeployment(deps, request.ctx.projectId, request.params.functionId, request.params.deploymentId);
        return reply.code(204).send();
      },
    );

    app.get<{ Params: z.infer<typeof deploymentParams>; Querystring: z.infer<typeof downloadQuery> }>(
      '/functions/:functionId/deployments/:deploymentId/download',
      { config: read, schema: { params: deploymentParams, querystring: downloadQuery } },
      async (request, reply) => {
        const { stream, size, fileName } = await downloadDeployment(
          deps,
          request.ctx.projectId,
          request.params.functionId,
          request.params.deploymentId,
          request.query.type,
        );
        return reply
          .header('content-type', 'application/gzip')
          .header('content-length', String(size))
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .send(stream);
      },
    );

    app.patch<{ Params: z.infer<typeof deploymentParams> }>(
      '/functions/:functionId/deployments/:deploymentId/status',
      { config: write, schema: { params: deploymentParams } },
      async (request) => cancelDeployment(deps, request.ctx.projectId, request.params.functionId, request.params.deploymentId),
    );

    app.patch<{ Params: z.infer<typeof functionParams>; Body: z.infer<typeof activateBody> }>(
      '/functions/:functionId/deployment',
      { config: write, schema: { params: functionParams, body: activateBody } },
      async (request) => setActiveDeployment(deps, request.ctx.projectId, request.params.functionId, request.body.deploymentId),
    );
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { bucketParams, fileParams } from './route-params.js';
import { createBucket, deleteBucket, getBucket, listBuckets, updateBucket } from './buckets.js';
import { deleteFile, getFile, listFiles, updateFile } from './files.js';
import { previewRoute } from './preview-route.js';
import { requireFileToRead } from './reading.js';
import { header, sendContent } from './send-content.js';
import { pushRoute } from './push-route.js';
import { beginUpload, CHUNK_SIZE, completeChunk, receiveChunk, type StoredChunk } from './uploads.js';

const bucketsRead = { scope: 'buckets.read' };
const bucketsWrite = { scope: 'buckets.write' };
const filesRead = { scope: 'files.read' };
const filesWrite = { scope: 'files.write' };

/** The largest per-file limit a bucket may set: 5 GiB. */
const MAXIMUM_FILE_SIZE_LIMIT = 5 * 1024 * 1024 * 1024;

/** One file of at most a chunk (and a byte, to see an overflow), with its few fields. */
const UPLOAD_PARTS = { limits: { fileSize: CHUNK_SIZE + 1, files: 1, fields: 200, fieldSize: 64 * 1024 }, throwFileSizeLimit: false };

const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const readQuery = z.object({ token: z.string().max(2048).optional() });
const permissionsParam = z.array(z.string().max(2048)).max(100).nullable().optional();
const bucketSettings = {
  name: z.string().min(1).max(128),
  permissions: permissionsParam,
  fileSecurity: z.boolean().optional(),
  enabled: z.boolean().optional(),
  maximumFileSize: z.number().int().min(1).max(MAXIMUM_FILE_SIZE_LIMIT, { error: `Value must be a valid range between 1 and ${MAXIMUM_FILE_SIZE_LIMIT}` }).optional(),
  allowedFileExtensions: z.array(z.string().max(64)).max(100).optional(),
  compression: z.enum(['none', 'gzip', 'zstd']).optional(),
  encryption: z.boolean().optional(),
  antivirus: z.boolean().optional(),
  transformations: z.boolean().optional(),
};
const createBucketBody = z.object({ bucketId: z.string().max(36), ...bucketSettings });
const updateBucketBody = z.object(bucketSettings);
const updateFileBody = z.object({ name: z.string().max(255).optional(), permissions: permissionsParam });

/** Reads and drops what is left of a request body up to a chunk's worth; false when more was left. */
async function drainBody(request: FastifyRequest): Promise<boolean> {
  const raw = request.raw;
  if (raw.readableEnded || raw.destroyed) return !raw.destroyed;
  const declared = Number(raw.headers['content-length'] ?? NaN);
  const cap = CHUNK_SIZE + 1024 * 1024;
  if (declared > cap) return false;
  raw.unpipe();
  return new Promise<boolean>((done) => {
    let bytes = 0;
    const stop = (drained: boolean) => {
      raw.off('data', count).off('end', ended).off('error', failed);
      done(drained);
    };
    const count = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > cap) stop(false);
    };
    const ended = () => stop(true);
    const failed = () => stop(false);
    raw.on('data', count).on('end', ended).on('error', failed);
    raw.resume();
  });
}


/** The `storage` service: buckets, uploads (whole or chunked), files and their content. */
export function storageRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/storage/buckets', { config: bucketsRead, schema: { querystring: listQuery } }, async (request) =>
      listBuckets(deps, request.ctx.projectId, request.query),
    );
    app.post('/storage/buckets', { config: bucketsWrite, schema: { body: createBucketBody } }, async (request, reply) =>
      reply.code(201).send(await createBucket(deps, request.ctx.projectId, request.body)),
    );
    app.get('/storage/buckets/:bucketId', { config: bucketsRead, schema: { params: bucketParams } }, async (request) =>
      getBucket(deps, request.ctx.projectId, request.params.bucketId),
    );
    app.put(
      '/storage/buckets/:bucketId',
      { config: bucketsWrite, schema: { params: bucketParams, body: updateBucketBody } },
      async (request) => updateBucket(deps, request.ctx.projectId, request.params.bucketId, request.body),
    );
    app.delete('/storage/buckets/:bucketId', { config: bucketsWrite, schema: { params: bucketParams } }, async (request, reply) => {
      await deleteBucket(deps, request.ctx.projectId, request.params.bucketId);
      return reply.code(204).send();
    });

    app.get(
      '/storage/buckets/:bucketId/files',
      { config: filesRead, schema: { params: bucketParams, querystring: listQuery } },
      async (request) => listFiles(deps, request.ctx.projectId, request.ctx.caller, request.params.bucketId, request.query),
    );

    app.post(
      '/storage/buckets/:bucketId/files',
      { config: filesWrite, schema: { params: bucketParams } },
      async (request, reply) => {
        try {
          return await receiveUpload(deps, request, reply);
        } catch (error) {
          // Clients read the answer only once their body is sent: read the rest of it first.
          if (!(await drainBody(request))) reply.header('Connection', 'close');
          throw error;
        }
      },
    );

    app.get('/storage/buckets/:bucketId/files/:fileId', { config: filesRead, schema: { params: fileParams } }, async (request) =>
      getFile(deps, request.ctx.projectId, request.ctx.caller, request.params),
    );
    app.put(
      '/storage/buckets/:bucketId/files/:fileId',
      { config: filesWrite, schema: { params: fileParams, body: updateFileBody } },
      async (request) => updateFile(deps, request.ctx.projectId, request.ctx.caller, request.params, request.body),
    );
    app.delete(
      '/storage/buckets/:bucketId/files/:fileId',
      { config: filesWrite, schema: { params: fileParams } },
      async (request, reply) => {
        await deleteFile(deps, request.ctx.projectId, request.ctx.caller, request.params);
        return reply.code(204).send();
      },
    );

    for (const [path, disposition] of [
      ['download', 'attachment'],
      ['view', 'inline'],
    ] as const) {
      app.get(
        `/storage/buckets/:bucketId/files/:fileId/${path}`,
        { config: filesRead, schema: { params: fileParams, querystring: readQuery } },
        async (request, reply) => {
          const { file } = await requireFileToRead(deps, request.ctx.projectId, request.ctx.caller, { ...request.params, token: request.query.token });
          return sendContent(deps, request, reply, file, disposition);
        },
      );
    }

    await app.register(previewRoute(deps));
    await app.register(pushRoute(deps));
  };
}

/** One upload request: a whole small file, or one chunk of a larger one. */
async function receiveUpload(deps: ServiceDeps, request: FastifyRequest & { params: z.infer<typeof bucketParams> }, reply: FastifyReply): Promise<FastifyReply> {
  if (!request.isMultipart()) throw new AppError('general_argument_invalid', 'Param "file" is not optional.');
  const target = await beginUpload(deps, request.ctx.projectId, request.ctx.caller, request.params.bucketId, {
    contentRange: header(request, 'content-range'),
    uploadId: header(request, 'x-appwrite-id'),
  });
  let fileId: string | undefined;
  let chunk: StoredChunk | undefined;
  let permissions: string[] | undefined;
  // Busboy stops one byte past a chunk, so the upload code sees the overflow and names it.
  for await (const part of request.parts(UPLOAD_PARTS)) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || chunk) {
        part.file.resume();
        continue;
      }
      chunk = await receiveChunk(deps, target, { fileId, name: part.filename, declaredType: part.mimetype, body: part.file });
    } else {
      const value = String(part.value);
      if (part.fieldname === 'fileId') fileId = value;
      else if (/^permissions(\[\d*\])?$/.test(part.fieldname)) (permissions ??= []).push(value);
    }
  }
  if (!chunk) throw new AppError('general_argument_invalid', 'Param "file" is not optional.');
  return reply.code(201).send(await completeChunk(deps, target, chunk, permissions));
}

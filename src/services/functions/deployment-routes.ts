import { rm } from 'node:fs/promises';
import type { RoutePlugin } from '../../http/typed-routes.js';
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
import { maxCodeBytes, readBoolean, receiveUpload } from './code-upload.js';
import { requireFunction } from './functions.js';
import { functionCacheDir } from './storage-paths.js';

const read = { scope: 'functions.read' };
const write = { scope: 'functions.write' };

const functionParams = z.object({ functionId: z.string().max(36) });
const deploymentParams = z.object({ functionId: z.string().max(36), deploymentId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const activateBody = z.object({ deploymentId: z.string().max(36) });
const duplicateBody = z.object({ deploymentId: z.string().max(36), buildId: z.string().max(36).optional() });
const downloadQuery = z.object({ type: z.enum(['source', 'output'], { error: 'Invalid `type` param: Value must be one of (source, output)' }).default('source') });

/** Deployments: uploads, builds, activation, downloads. */
export function deploymentRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.post(
      '/functions/:functionId/deployments',
      { config: write, schema: { params: functionParams } },
      async (request, reply) => {
        const { projectId } = request.ctx;
        const { functionId } = request.params;
        await requireFunction(deps, projectId, functionId);
        if (!request.isMultipart()) throw new AppError('general_argument_invalid', 'Send the deployment as multipart/form-data with a `code` file.');
        const rangeHeader = request.headers['content-range'];
        const range = typeof rangeHeader === 'string' ? parseContentRange(rangeHeader) : undefined;
        const upload = await receiveUpload(request, functionCacheDir(deps.dataDir, projectId, functionId), maxCodeBytes(deps));
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
              maxBytes: maxCodeBytes(deps),
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

    app.get(
      '/functions/:functionId/deployments',
      { config: read, schema: { params: functionParams, querystring: listQuery } },
      async (request) => listDeployments(deps, request.ctx.projectId, request.params.functionId, request.query),
    );

    app.post(
      '/functions/:functionId/deployments/duplicate',
      { config: write, schema: { params: functionParams, body: duplicateBody } },
      async (request, reply) =>
        reply.code(202).send(await duplicateDeployment(deps, request.ctx.projectId, request.params.functionId, request.body.deploymentId)),
    );

    // Deployments from templates and Git repositories need a Git provider, which this server does not offer.
    for (const source of ['template', 'vcs']) {
      app.post(
        `/functions/:functionId/deployments/${source}`,
        { config: write, schema: { params: functionParams } },
        async (request) => {
          await requireFunction(deps, request.ctx.projectId, request.params.functionId);
          throw new AppError('general_not_implemented', 'Deployments from templates and Git repositories are not supported by this server; upload a .tar.gz instead.');
        },
      );
    }

    app.get(
      '/functions/:functionId/deployments/:deploymentId',
      { config: read, schema: { params: deploymentParams } },
      async (request) => getDeployment(deps, request.ctx.projectId, request.params.functionId, request.params.deploymentId),
    );

    app.delete(
      '/functions/:functionId/deployments/:deploymentId',
      { config: write, schema: { params: deploymentParams } },
      async (request, reply) => {
        await deleteDeployment(deps, request.ctx.projectId, request.params.functionId, request.params.deploymentId);
        return reply.code(204).send();
      },
    );

    app.get(
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

    app.patch(
      '/functions/:functionId/deployments/:deploymentId/status',
      { config: write, schema: { params: deploymentParams } },
      async (request) => cancelDeployment(deps, request.ctx.projectId, request.params.functionId, request.params.deploymentId),
    );

    app.patch(
      '/functions/:functionId/deployment',
      { config: write, schema: { params: functionParams, body: activateBody } },
      async (request) => setActiveDeployment(deps, request.ctx.projectId, request.params.functionId, request.body.deploymentId),
    );
  };
}

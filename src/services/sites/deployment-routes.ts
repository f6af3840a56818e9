import { rm } from 'node:fs/promises';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { maxCodeBytes, parseContentRange, readBoolean, receiveUpload } from '../functions/index.js';
import {
  cancelSiteDeployment,
  createSiteDeployment,
  deleteSiteDeployment,
  downloadSiteDeployment,
  duplicateSiteDeployment,
  getSiteDeployment,
  listSiteDeployments,
  receiveSiteDeploymentChunk,
  setLiveDeployment,
} from './deployments.js';
import { requireSite } from './sites.js';
import { siteCacheDir } from './storage-paths.js';

const read = { scope: 'sites.read' };
const write = { scope: 'sites.write' };

const siteParams = z.object({ siteId: z.string().max(36) });
const deploymentParams = z.object({ siteId: z.string().max(36), deploymentId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const activateBody = z.object({ deploymentId: z.string().max(36) });
const duplicateBody = z.object({ deploymentId: z.string().max(36) });
const downloadQuery = z.object({ type: z.enum(['source', 'output'], { error: 'Invalid `type` param: Value must be one of (source, output)' }).default('source') });


/** A site's deployments: uploads (whole or chunked), builds, going live, downloads. */
export function siteDeploymentRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.post('/sites/:siteId/deployments', { config: write, schema: { params: siteParams } }, async (request, reply) => {
      const { projectId } = request.ctx;
      const { siteId } = request.params;
      await requireSite(deps, projectId, siteId);
      if (!request.isMultipart()) throw new AppError('general_argument_invalid', 'Send the deployment as multipart/form-data with a `code` file.');
      const rangeHeader = request.headers['content-range'];
      const range = typeof rangeHeader === 'string' ? parseContentRange(rangeHeader) : undefined;
      const upload = await receiveUpload(request, siteCacheDir(deps.dataDir, projectId, siteId), maxCodeBytes(deps));
      try {
        const build = {
          activate: upload.fields.activate === undefined ? false : readBoolean(upload.fields.activate, 'activate'),
          installCommand: upload.fields.installCommand,
          buildCommand: upload.fields.buildCommand,
          outputDirectory: upload.fields.outputDirectory,
        };
        if (range) {
          const uploadId = request.headers['x-appwrite-id'];
          const chunk = await receiveSiteDeploymentChunk(deps, projectId, siteId, {
            ...build,
            uploadedFile: upload.file,
            size: upload.size,
            range,
            uploadId: typeof uploadId === 'string' && uploadId !== '' ? uploadId : undefined,
            maxBytes: maxCodeBytes(deps),
          });
          return reply.code(202).send(chunk);
        }
        return reply.code(202).send(await createSiteDeployment(deps, projectId, siteId, { ...build, uploadedFile: upload.file, size: upload.size }));
      } catch (error) {
        await rm(upload.file, { force: true });
        throw error;
      }
    });

    app.get(
      '/sites/:siteId/deployments',
      { config: read, schema: { params: siteParams, querystring: listQuery } },
      async (request) => listSiteDeployments(deps, request.ctx.projectId, request.params.siteId, request.query),
    );

    app.post(
      '/sites/:siteId/deployments/duplicate',
      { config: write, schema: { params: siteParams, body: duplicateBody } },
      async (request, reply) => reply.code(202).send(await duplicateSiteDeployment(deps, request.ctx.projectId, request.params.siteId, request.body.deploymentId)),
    );

    // Deployments from templates and Git repositories need a source this server does not have.
    for (const source of ['template', 'vcs']) {
      app.post(`/sites/:siteId/deployments/${source}`, { config: write, schema: { params: siteParams } }, async (request) => {
        await requireSite(deps, request.ctx.projectId, request.params.siteId);
        throw new AppError('general_not_implemented', 'Site deployments from templates and Git repositories are not supported by this server; upload a .tar.gz instead.');
      });
    }

    app.get('/sites/:siteId/deployments/:deploymentId', { config: read, schema: { params: deploymentParams } }, async (request) =>
      getSiteDeployment(deps, request.ctx.projectId, request.params.siteId, request.params.deploymentId),
    );

    app.delete(
      '/sites/:siteId/deployments/:deploymentId',
      { config: write, schema: { params: deploymentParams } },
      async (request, reply) => {
        await deleteSiteDeployment(deps, request.ctx.projectId, request.params.siteId, request.params.deploymentId);
        return reply.code(204).send();
      },
    );

    app.get(
      '/sites/:siteId/deployments/:deploymentId/download',
      { config: read, schema: { params: deploymentParams, querystring: downloadQuery } },
      async (request, reply) => {
        const { stream, size, fileName } = await downloadSiteDeployment(deps, request.ctx.projectId, request.params.siteId, request.params.deploymentId, request.query.type);
        return reply
          .header('content-type', 'application/gzip')
          .header('content-length', String(size))
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .send(stream);
      },
    );

    app.patch(
      '/sites/:siteId/deployments/:deploymentId/status',
      { config: write, schema: { params: deploymentParams } },
      async (request) => cancelSiteDeployment(deps, request.ctx.projectId, request.params.siteId, request.params.deploymentId),
    );

    app.patch(
      '/sites/:siteId/deployment',
      { config: write, schema: { params: siteParams, body: activateBody } },
      async (request) => setLiveDeployment(deps, request.ctx.projectId, request.params.siteId, request.body.deploymentId),
    );
  };
}

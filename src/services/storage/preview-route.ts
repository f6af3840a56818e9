import type { RoutePlugin } from '../../http/typed-routes.js';
import { AppError } from '../../core/errors.js';
import type { ServiceDeps } from '../deps.js';
import { fileParams } from './route-params.js';
import { fileKey, openBuffer, sealBuffer } from './at-rest.js';
import { previewFile, previewQuery } from './file-preview.js';
import { previewPrefix } from './object-paths.js';
import { readWholeContent, requireFileToRead } from './reading.js';

/** `GET …/preview`: a rendered image of the file, cached beside it (sealed when the bucket is encrypted). */
export function previewRoute(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/storage/buckets/:bucketId/files/:fileId/preview',
      { config: { scope: 'files.read' }, schema: { params: fileParams, querystring: previewQuery } },
      async (request, reply) => {
        const { projectId } = request.ctx;
        const caller = request.ctx.caller;
        const { bucket, file } = await requireFileToRead(deps, projectId, caller, { ...request.params, token: request.query.token });
        if (bucket.transformations !== 1 && !caller.actsForProject) throw new AppError('storage_bucket_transformations_disabled');
        const key = file.encryption === 1 ? fileKey(deps.secretKey, projectId) : undefined;
        const preview = await previewFile({
          files: deps.files,
          cachePath: previewPrefix(projectId, bucket.id, file.id),
          mimeType: file.mime_type,
          readOriginal: () => readWholeContent(deps, projectId, file),
          options: request.query,
          name: file.name,
          size: file.size_original,
          ...(key ? { cacheCodec: { seal: (plain: Buffer) => sealBuffer(key, plain), open: (stored: Buffer) => openBuffer(key, stored) } } : {}),
        });
        return reply
          .header('Content-Type', preview.contentType)
          .header('Cache-Control', 'private, max-age=2592000')
          .send(preview.body);
      },
    );
  };
}

import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { findFile } from '../../data/storage/files.js';
import type { ServiceDeps } from '../deps.js';
import { fileParams } from './route-params.js';
import { requireBucket } from './access.js';
import { pushImageTokenOpens } from './push-image-token.js';
import { sendContent } from './send-content.js';

const pushQuery = z.object({ jwt: z.string().max(2048).default('') });

/** A device may show a notification long after it arrives: 45 days, as Appwrite caches push images. */
const PUSH_IMAGE_MAX_AGE_SECONDS = 45 * 24 * 3600;

/**
 * `GET …/push`: a push notification's image, for the push service that fetches it. The
 * signed token in the URL stands for permission: only its own file, only until it expires.
 */
export function pushRoute(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/storage/buckets/:bucketId/files/:fileId/push',
      { config: { scope: 'public' }, schema: { params: fileParams, querystring: pushQuery } },
      async (request, reply) => {
        const { projectId } = request.ctx;
        if (!(await pushImageTokenOpens(deps.secretKey, projectId, request.query.jwt, request.params))) throw new AppError('user_unauthorized');
        const bucket = await requireBucket(deps, projectId, request.ctx.caller, request.params.bucketId);
        const file = await findFile(deps.db.project(projectId), bucket.id, request.params.fileId);
        if (!file || file.status !== 'ready') throw new AppError('storage_file_not_found');
        return sendContent(deps, request, reply, file, 'inline', PUSH_IMAGE_MAX_AGE_SECONDS);
      },
    );
  };
}

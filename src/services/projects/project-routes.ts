import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { deleteProject, getProject, updateProjectLabels } from './projects.js';

/** Appwrite's limits on labels: up to 1000, each 1 to 36 letters and digits. */
const MAX_LABELS = 1000;
const LABEL_MESSAGE = `Value must a valid array no longer than ${MAX_LABELS} items and Value must be a valid string and at least 1 chars and no longer than 36 chars and only consist of 'a-z, A-Z, 0-9' chars`;

const labelsBody = z.object({
  labels: z.array(z.string({ error: LABEL_MESSAGE }).regex(/^[a-zA-Z0-9]{1,36}$/, LABEL_MESSAGE), { error: LABEL_MESSAGE }).max(MAX_LABELS, LABEL_MESSAGE),
});

/** The project an API key belongs to: read it, label it, delete it. */
export function projectResourceRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/project', { config: { scope: 'project.read' } }, async (request) => getProject(deps, request.ctx.projectId));

    app.put('/project/labels', { config: { scope: 'project.write' }, schema: { body: labelsBody } }, async (request) =>
      updateProjectLabels(deps, request.ctx.projectId, request.body.labels),
    );

    app.delete('/project', { config: { scope: 'project.write' } }, async (request, reply) => {
      await deleteProject(deps, request.ctx.projectId);
      return reply.code(204).send();
    });
  };
}

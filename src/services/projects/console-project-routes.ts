import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { findConsoleOrganizationAccess } from '../../auth/console-access.js';
import { AppError } from '../../core/errors.js';
import { ORGANIZATION_HEADER } from '../../http/console-gate.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import {
  createOrganizationProject,
  findProjectOrganization,
  listOrganizationProjects,
  moveProject,
  updateProjectDetails,
} from './organization-projects.js';
import { PROJECT_DETAIL_FIELDS, PROJECT_DETAIL_MAX_LENGTH, type ProjectDetails } from './project-details.js';
import { deleteProject, getProject } from './projects.js';

const text = (max: number) => z.string({ error: 'Value must be a valid string' }).max(max, `Value must be a valid string and no longer than ${max} chars`);
const detailFields = Object.fromEntries(PROJECT_DETAIL_FIELDS.map((field) => [field, text(PROJECT_DETAIL_MAX_LENGTH[field]).optional()])) as Record<
  keyof ProjectDetails,
  z.ZodOptional<z.ZodString>
>;

const projectBody = z.object({
  projectId: z.string({ error: 'Value must be a valid string' }),
  name: text(128),
  // One region: any the console sends is the one this server has.
  region: z.string().optional(),
  ...detailFields,
});
const createBody = projectBody.extend({ teamId: z.string({ error: 'Value must be a valid string' }) });
const updateBody = z.object({ name: text(128), ...detailFields });
const teamBody = z.object({ teamId: z.string({ error: 'Value must be a valid string' }) });
const listQuerystring = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const projectParams = z.object({ projectId: z.string() });

type ProjectParams = z.infer<typeof projectParams>;

const inProject = { organization: 'project' } as const;
const inBodyTeam = { organization: 'team' } as const;
const inHeaderOrganization = { organization: 'header' } as const;

function detailsOf(body: Partial<ProjectDetails>): Partial<ProjectDetails> {
  const details: Partial<ProjectDetails> = {};
  for (const field of PROJECT_DETAIL_FIELDS) if (body[field] !== undefined) details[field] = body[field];
  return details;
}

/** The organizations the signed-in administrator has joined: `team:<id>` among their roles. */
function joinedOrganizations(request: FastifyRequest): string[] {
  return request.ctx.caller.roles.flatMap((role) => (/^team:[^/]+$/.test(role) ? [role.slice('team:'.length)] : []));
}

/**
 * The console's projects: a console session lists, creates and administers the projects of its
 * organizations (the console gate checks membership and the role's scopes). `/projects` names the
 * organization in the body or by the project; CE 1.9.6's `/organization/projects` by header.
 */
export function consoleProjectRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/projects',
      { config: { scope: 'projects.read', console: {} }, schema: { querystring: listQuerystring } },
      async (request) => listOrganizationProjects(deps, { teamIds: joinedOrganizations(request), ...request.query }),
    );
    app.post(
      '/projects',
      { config: { scope: 'projects.write', console: inBodyTeam }, schema: { body: createBody } },
      async (request, reply) => {
        const { projectId, name, teamId } = request.body;
        return reply.code(201).send(await createOrganizationProject(deps, { projectId, name, teamId, details: detailsOf(request.body) }));
      },
    );
    app.get('/projects/:projectId', { config: { scope: 'projects.read', console: inProject }, schema: { params: projectParams } }, async (request) =>
      getProject(deps, request.params.projectId),
    );
    app.patch(
      '/projects/:projectId',
      { config: { scope: 'projects.write', console: inProject }, schema: { params: projectParams, body: updateBody } },
      async (request) => updateProjectDetails(deps, request.params.projectId, { name: request.body.name, details: detailsOf(request.body) }),
    );
    app.delete(
      '/projects/:projectId',
      { config: { scope: 'projects.write', console: inProject }, schema: { params: projectParams } },
      async (request, reply) => {
        await deleteProject(deps, request.params.projectId);
        return reply.code(204).send();
      },
    );
    app.patch(
      '/projects/:projectId/team',
      { config: { scope: 'projects.write', console: inProject }, schema: { params: projectParams, body: teamBody } },
      async (request) => {
        // The project leaves one organization for another: the administrator must be able to create projects there too.
        const target = await findConsoleOrganizationAccess(deps, userIdOf(request), request.body.teamId);
        if (!target?.scopes.has('projects.write')) throw new AppError('user_unauthorized');
        return moveProject(deps, request.params.projectId, request.body.teamId);
      },
    );

    app.get(
      '/organization/projects',
      { config: { scope: 'projects.read', console: inHeaderOrganization }, schema: { querystring: listQuerystring } },
      async (request) => listOrganizationProjects(deps, { teamIds: [organizationOf(request)], ...request.query }),
    );
    app.post(
      '/organization/projects',
      { config: { scope: 'projects.write', console: inHeaderOrganization }, schema: { body: projectBody } },
      async (request, reply) => {
        const { projectId, name } = request.body;
        const teamId = organizationOf(request);
        return reply.code(201).send(await createOrganizationProject(deps, { projectId, name, teamId, details: detailsOf(request.body) }));
      },
    );
    const inOrganization = async (request: FastifyRequest & { params: ProjectParams }) => {
      // A project of another organization does not exist as far as this one is concerned.
      if ((await findProjectOrganization(deps, request.params.projectId)) !== organizationOf(request)) throw new AppError('project_not_found');
      return request.params.projectId;
    };
    app.get(
      '/organization/projects/:projectId',
      { config: { scope: 'projects.read', console: inHeaderOrganization }, schema: { params: projectParams } },
      async (request) => getProject(deps, await inOrganization(request)),
    );
    app.patch(
      '/organization/projects/:projectId',
      { config: { scope: 'projects.write', console: inHeaderOrganization }, schema: { params: projectParams, body: updateBody } },
      async (request) => updateProjectDetails(deps, await inOrganization(request), { name: request.body.name, details: detailsOf(request.body) }),
    );
    app.delete(
      '/organization/projects/:projectId',
      { config: { scope: 'projects.write', console: inHeaderOrganization }, schema: { params: projectParams } },
      async (request, reply) => {
        await deleteProject(deps, await inOrganization(request));
        return reply.code(204).send();
      },
    );
  };
}

function userIdOf(request: FastifyRequest): string {
  return request.ctx.caller.userId ?? '';
}

function organizationOf(request: FastifyRequest): string {
  const value = request.headers[ORGANIZATION_HEADER];
  return typeof value === 'string' ? value : '';
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findConsoleOrganizationAccess, findConsoleProjectAccess } from '../auth/console-access.js';
import type { AuthDeps } from '../auth/deps.js';
import type { OrganizationAccess } from '../auth/organization-access.js';
import { CONSOLE_PROJECT_ID } from '../auth/project-gate.js';
import { AppError } from '../core/errors.js';
import { assertScope } from './context.js';

/** Where a console route finds the organization it acts in. */
export type OrganizationSource = 'project' | 'team' | 'header';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Only for the console's administrators (signed in to the console project). The route's
     * scope is checked against their role in the organization `organization` names, once the
     * body is read; without `organization`, against a signed-in administrator's own scopes.
     */
    console?: { organization?: OrganizationSource };
  }
}

/** The config of a console route acting on the project in its path, for an administrator of the project's organization with `scope`. */
export function inPathProject(scope: string) {
  return { scope, console: { organization: 'project' } } as const;
}

/** The header the console names an organization with, as Appwrite's `/organization/*` routes read it. */
export const ORGANIZATION_HEADER = 'x-appwrite-organization';

/**
 * Authorizes the console routes: after the body is parsed (the organization may be named in
 * it), before validation. A caller outside the console, or signed out, lacks the route's
 * scope; a member of no such organization is `user_unauthorized`, as in Appwrite.
 */
export function installConsoleGate(app: FastifyInstance, deps: AuthDeps): void {
  app.addHook('preValidation', async (request) => {
    const { config } = request.routeOptions;
    if (config.console === undefined || config.scope === undefined) return;
    const context = request.ctx;
    const { userId } = context.caller;
    if (context.projectId !== CONSOLE_PROJECT_ID || userId === undefined) {
      // Whatever the caller holds elsewhere, it is none of the console's.
      assertScope({ ...context.caller, scopes: new Set() }, config.scope);
      return;
    }
    const source = config.console.organization;
    if (source !== undefined) {
      context.caller = { ...context.caller, scopes: (await findAccess(deps, request, source, userId)).scopes };
    }
    assertScope(context.caller, config.scope);
  });
}

async function findAccess(deps: AuthDeps, request: FastifyRequest, source: OrganizationSource, userId: string): Promise<OrganizationAccess> {
  let access: OrganizationAccess | undefined;
  if (source === 'project') {
    const projectId = (request.params as { projectId?: string }).projectId ?? '';
    const found = await findConsoleProjectAccess(deps, userId, projectId);
    if (found === 'missing') throw new AppError('project_not_found');
    access = found;
  } else {
    const teamId = source === 'team' ? (request.body as { teamId?: unknown } | undefined)?.teamId : request.headers[ORGANIZATION_HEADER];
    if (typeof teamId !== 'string' || teamId === '') {
      const where = source === 'team' ? 'the `teamId` param' : 'the X-Appwrite-Organization header';
      throw new AppError('general_argument_invalid', `No organization was given: send its ID in ${where}.`);
    }
    access = await findConsoleOrganizationAccess(deps, userId, teamId);
  }
  if (!access) throw new AppError('user_unauthorized');
  return access;
}

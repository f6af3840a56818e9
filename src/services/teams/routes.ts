import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import { setSessionCookies } from '../../http/session-cookies.js';
import type { ServiceDeps } from '../deps.js';
import { activitySource, emailParam, nameParam, phoneParam, prefsParam, redirectUrlParam, userIdParam } from '../users/index.js';
import { acceptInvitation, inviteMember } from './invitations.js';
import { deleteMembership, getMembership, listMemberships, updateMembership } from './memberships.js';
import { createTeam, deleteTeam, getTeam, getTeamPrefs, listTeams, updateTeamName, updateTeamPrefs } from './teams.js';

const read = { scope: 'teams.read' };
const write = { scope: 'teams.write' };

/** Team roles are keys: letters, digits, period, hyphen and underscore, not starting with a special char. */
const roleParam = (max: number) =>
  z.string().max(max).regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, { error: `Role must be at most ${max} chars of a-z, A-Z, 0-9, period, hyphen and underscore` });
const rolesParam = (max: number) => z.array(roleParam(max)).max(100);

const teamParams = z.object({ teamId: z.string().max(36) });
const membershipParams = z.object({ teamId: z.string().max(36), membershipId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const createBody = z.object({ teamId: z.string().max(36), name: z.string().max(128), roles: rolesParam(32).optional() });
const nameBody = z.object({ name: z.string().max(128) });
const prefsBody = z.object({ prefs: prefsParam });
const inviteBody = z.object({
  email: z.union([emailParam, z.literal('')]).optional(),
  userId: userIdParam.optional(),
  phone: z.union([phoneParam, z.literal('')]).optional(),
  roles: rolesParam(81),
  url: z.union([redirectUrlParam, z.literal('')]).optional(),
  name: nameParam.optional(),
});
const rolesBody = z.object({ roles: rolesParam(81) });
const statusBody = z.object({ userId: userIdParam, secret: z.string().max(256) });

/** The `teams` service: teams, their prefs, and their memberships and invitations. */
export function teamsRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/teams', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listTeams(deps, request.ctx.projectId, request.ctx.caller, request.query),
    );

    app.post('/teams', { config: write, schema: { body: createBody } }, async (request, reply) =>
      reply.code(201).send(await createTeam(deps, request.ctx.projectId, request.ctx.caller, request.body)),
    );

    app.get('/teams/:teamId', { config: read, schema: { params: teamParams } }, async (request) =>
      getTeam(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId),
    );

    app.put(
      '/teams/:teamId',
      { config: write, schema: { params: teamParams, body: nameBody } },
      async (request) => updateTeamName(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId, request.body.name),
    );

    app.delete('/teams/:teamId', { config: write, schema: { params: teamParams } }, async (request, reply) => {
      await deleteTeam(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId);
      return reply.code(204).send();
    });

    app.get('/teams/:teamId/prefs', { config: read, schema: { params: teamParams } }, async (request) =>
      getTeamPrefs(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId),
    );

    app.put(
      '/teams/:teamId/prefs',
      { config: write, schema: { params: teamParams, body: prefsBody } },
      async (request) => updateTeamPrefs(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId, request.body.prefs),
    );

    app.get(
      '/teams/:teamId/memberships',
      { config: read, schema: { params: teamParams, querystring: listQuery } },
      async (request) => listMemberships(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId, request.query),
    );

    app.post(
      '/teams/:teamId/memberships',
      {
        config: { ...write, authMethod: 'invites', rateLimit: { limit: 10, windowSeconds: 3600, key: ['url', 'ip'] } },
        schema: { params: teamParams, body: inviteBody },
      },
      async (request, reply) => {
        const { email, userId, phone, url, name, roles } = request.body;
        const membership = await inviteMember(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId, {
          roles,
          ...(email ? { email } : {}),
          ...(userId ? { userId } : {}),
          ...(phone ? { phone } : {}),
          ...(url ? { url } : {}),
          ...(name ? { name } : {}),
          ...(request.ctx.locale ? { locale: request.ctx.locale } : {}),
        });
        return reply.code(201).send(membership);
      },
    );

    app.get(
      '/teams/:teamId/memberships/:membershipId',
      { config: read, schema: { params: membershipParams } },
      async (request) => getMembership(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId, request.params.membershipId),
    );

    app.patch(
      '/teams/:teamId/memberships/:membershipId',
      { config: write, schema: { params: membershipParams, body: rolesBody } },
      async (request) =>
        updateMembership(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId, request.params.membershipId, request.body.roles),
    );

    app.delete(
      '/teams/:teamId/memberships/:membershipId',
      { config: write, schema: { params: membershipParams } },
      async (request, reply) => {
        await deleteMembership(deps, request.ctx.projectId, request.ctx.caller, request.params.teamId, request.params.membershipId);
        return reply.code(204).send();
      },
    );

    app.patch(
      '/teams/:teamId/memberships/:membershipId/status',
      // Counted per invitation: the secret is what a guesser would try, from any address.
      {
        config: { scope: 'public', rateLimit: { limit: 10, windowSeconds: 3600, key: ['url', { param: 'membershipId' }] } },
        schema: { params: membershipParams, body: statusBody },
      },
      async (request, reply) => {
        const accepted = await acceptInvitation(deps, request.ctx.projectId, request.ctx.caller, {
          ...request.params,
          ...request.body,
          source: activitySource(request),
        });
        // An invitee who was not signed in is signed in by accepting, as by a magic link.
        if (accepted.session) setSessionCookies(request, reply, request.ctx.projectId, accepted.session.token, accepted.session.expiresAt);
        return accepted.membership;
      },
    );
  };
}

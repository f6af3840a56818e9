import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeDomain } from '../../core/domains.js';
import { AppError } from '../../core/errors.js';
import { serviceSetting } from '../../auth/switches.js';
import { findRuleByDomain } from '../../data/platform/proxy-rules.js';
import { readProjectSetting } from '../../data/platform/settings.js';
import type { ProxyRuleRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { sendToFunction } from '../functions/index.js';
import { sendToSite } from '../sites/index.js';
import { isKnownUnruled, noteUnruled } from './unknown-hosts.js';

/** Requests whose host is a redirect or site rule's domain: answered before any route runs. */
const answered = new WeakMap<IncomingMessage, ProxyRuleRow>();
/** A failed lookup is reported through the ordinary error answer. */
const failures = new WeakMap<IncomingMessage, unknown>();

/** The hostname a request names, without port, lower case; '' when it names none. */
function hostnameOf(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  if (host.startsWith('[')) return '';
  return normalizeDomain(host.replace(/:\d+$/, ''));
}

/**
 * Sends requests on a verified rule's domain where the rule says, before routing: a function
 * rule to its function (as the function's own host name would), a redirect rule to its answer,
 * a site rule to its site. API rules and unknown hosts are the
 * API's. Addresses, `localhost` and the server's own host name are never looked up, and a host
 * found to hold no rule is not looked up again for a few seconds. A project that turned its
 * `proxy` service off has its domains answered with `general_service_disabled`.
 */
export function ruleHostRouting(deps: ServiceDeps): {
  resolve: (request: IncomingMessage) => Promise<void>;
  onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
} {
  const ownHost = () => new URL(deps.publicUrl).hostname.toLowerCase();
  return {
    async resolve(request) {
      const host = hostnameOf(request);
      if (host === '' || host === 'localhost' || isIP(host) !== 0 || host === ownHost() || isKnownUnruled(deps, host)) return;
      let rule: ProxyRuleRow | undefined;
      try {
        rule = await findRuleByDomain(deps.db.platform, host);
        if (!rule) noteUnruled(deps, host);
        // Only a domain proven to point here is served: an unverified claim routes nothing.
        if (!rule || rule.status !== 'verified' || rule.type === 'api') return;
        if ((await readProjectSetting(deps.db.platform, rule.project_id, serviceSetting('proxy'))) === false) {
          failures.set(request, new AppError('general_service_disabled'));
          return;
        }
      } catch (error) {
        failures.set(request, error);
        return;
      }
      if (rule.type === 'deployment' && rule.deployment_resource_type === 'function') {
        sendToFunction(request, { projectId: rule.project_id, functionId: rule.deployment_resource_id });
        return;
      }
      if (rule.type === 'deployment' && rule.deployment_resource_type === 'site') {
        sendToSite(request, { projectId: rule.project_id, siteId: rule.deployment_resource_id });
        return;
      }
      answered.set(request, rule);
    },
    async onRequest(request, reply) {
      const failure = failures.get(request.raw);
      if (failure !== undefined) throw failure;
      const rule = answered.get(request.raw);
      if (rule === undefined) return undefined;
      return reply.redirect(rule.redirect_url, rule.redirect_status_code);
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findRuleByDomain } from '../../data/platform/proxy-rules.js';
import type { ServiceDeps } from '../deps.js';
import { plinthPage } from './pages.js';
import { serveSite, type SiteTarget } from './serve.js';
import { siteOfHostLabel } from './site-rows.js';
import { sitesDomainOf } from './sites.js';

/** Requests that are a site's, with the site; nothing a client sends can mark a request so. */
const visits = new WeakMap<IncomingMessage, SiteTarget | 'unknown'>();

/** Serves a request on another host (a verified rule's domain) as the site's own host name would be. */
export function sendToSite(request: IncomingMessage, target: SiteTarget): void {
  visits.set(request, target);
}

function hostnameOf(request: IncomingMessage): string {
  return (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
}

/** Whether the name is the sites domain or lies under it: site content answers there, never the API. */
export function isSitesHostname(deps: ServiceDeps, hostname: string): boolean {
  const domain = sitesDomainOf(deps);
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

async function siteOfRule(deps: ServiceDeps, host: string): Promise<SiteTarget | undefined> {
  const rule = await findRuleByDomain(deps.db.platform, host);
  if (!rule || rule.status !== 'verified' || rule.type !== 'deployment' || rule.deployment_resource_type !== 'site') return undefined;
  // A deployment's own preview host serves that deployment; any other rule the live one.
  if (rule.trigger === 'deployment') return { projectId: rule.project_id, siteId: rule.deployment_resource_id, deploymentId: rule.deployment_id };
  return { projectId: rule.project_id, siteId: rule.deployment_resource_id };
}

/**
 * Every request on `<label>.sites.<domain>` (the label is the site id, `<siteId>--<projectId>`, or
 * a deployment's preview `<deploymentId>-<siteId>`) or on a site rule's domain is the site's: it is found before routing and answered before any
 * API hook runs.
 */
export function siteHostRouting(deps: ServiceDeps): {
  resolve: (request: IncomingMessage) => Promise<boolean>;
  onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
} {
  return {
    /** True when the host is under the sites domain (so no rule is looked up for it). */
    async resolve(request) {
      const host = hostnameOf(request);
      if (!isSitesHostname(deps, host)) return false;
      const label = host.slice(0, -sitesDomainOf(deps).length - 1);
      if (label === '' || label.includes('.')) {
        visits.set(request, 'unknown');
        return true;
      }
      // A site's own name, else a name a verified site rule took there (as `appwrite push sites` asks for).
      const found = (await siteOfHostLabel(deps, label)) ?? (await siteOfRule(deps, host));
      visits.set(request, found ?? 'unknown');
      return true;
    },
    async onRequest(request, reply) {
      const target = visits.get(request.raw);
      if (target === undefined) return undefined;
      if (target === 'unknown') {
        return reply.code(404).header('content-type', 'text/html; charset=utf-8').send(plinthPage(404, 'Not Found', 'No site answers on this address.'));
      }
      return serveSite(deps, request, reply, target);
    },
  };
}

import { Console, Proxy as ProxyRules, Sites } from '@appwrite.io/console';
import { consoleClient, projectClient } from './api';

/** The project's sites and their domains as its administrator; only the lazily loaded sites pages import it. */
export function projectSites(projectId: string): { sites: Sites; proxy: ProxyRules } {
  const client = projectClient(projectId);
  return { sites: new Sites(client), proxy: new ProxyRules(client) };
}

/** Where the server answers for sites, `sites.<domain>`: each site on a host of its own below it. */
export async function sitesDomain(): Promise<string> {
  const variables = await new Console(consoleClient).variables();
  return variables._APP_DOMAIN_SITES.split(',')[0]?.trim() ?? '';
}

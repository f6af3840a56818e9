import { parseListQueries } from '../../core/queries.js';
import { catalogueListTable, listCatalogueIds } from '../../data/catalogue-list.js';
import { queryAttributes } from '../../data/list-query.js';
import type { ServiceDeps } from '../deps.js';
import { API_OAUTH2_PROVIDER_IDS, toOAuth2ProviderModel, type ApiOAuth2ProviderId, type OAuth2ProviderModel } from './oauth2-fields.js';
import { listOAuth2Providers } from './oauth2-providers.js';
import type { ListInput } from './queries-param.js';

/** The providers of the project API, in the spec's order, as a list the queries run on. */
const PROVIDERS_LIST_TABLE = catalogueListTable(API_OAUTH2_PROVIDER_IDS);

/** A page of the project's OAuth2 providers: every one unless a `limit` asks for fewer. */
export async function listOAuth2ProviderModels(
  deps: ServiceDeps,
  projectId: string,
  input: ListInput,
): Promise<{ total: number; providers: OAuth2ProviderModel[] }> {
  const list = parseListQueries(input.queries, { attributes: queryAttributes(PROVIDERS_LIST_TABLE), defaultLimit: API_OAUTH2_PROVIDER_IDS.length });
  const [page, summaries] = await Promise.all([
    listCatalogueIds(deps.db.platform, PROVIDERS_LIST_TABLE, list, { total: input.total }),
    listOAuth2Providers(deps, projectId),
  ]);
  const byId = new Map(summaries.map((summary) => [summary.provider as string, summary]));
  // The page's ids come from the catalogue, so each is a provider of the API.
  const providers = (page.ids as ApiOAuth2ProviderId[]).flatMap((provider) => {
    const summary = byId.get(provider);
    return summary ? [toOAuth2ProviderModel(provider, summary)] : [];
  });
  return { total: page.total, providers };
}

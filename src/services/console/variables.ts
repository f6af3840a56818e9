import { DEFAULT_FUNCTIONS_DOMAIN } from '../../core/function-host-labels.js';
import type { ServiceDeps } from '../deps.js';
import { maxCodeBytes } from '../functions/index.js';

/** The largest file a bucket may take, as this server enforces it. */
const STORAGE_LIMIT_BYTES = 5 * 1024 * 1024 * 1024;
/** Index keys of PostgreSQL's B-trees stay under this many bytes; SQLite's are larger. */
const MAX_INDEX_LENGTH = 2704;

/**
 * Appwrite's `consoleVariables`: what this server is configured with, for the console and the CLI
 * (`push functions` builds a function's domain from `_APP_DOMAIN_FUNCTIONS`). Features Plinth has no
 * part for (VCS, the assistant, usage stats) read as off.
 */
export function consoleVariables(deps: ServiceDeps) {
  const functionsDomain = deps.functions?.hostDomain ?? DEFAULT_FUNCTIONS_DOMAIN;
  // Sites answer beside functions: `sites.<domain>` where functions are `functions.<domain>`.
  const baseDomain = functionsDomain.replace(/^functions\./, '');
  const secure = deps.publicUrl.startsWith('https:');
  return {
    _APP_DOMAIN_TARGET_CNAME: baseDomain,
    _APP_DOMAIN_TARGET_A: '',
    _APP_DOMAIN_TARGET_AAAA: '',
    _APP_DOMAIN_TARGET_CAA: '',
    _APP_COMPUTE_BUILD_TIMEOUT: deps.functions?.maxTimeoutSeconds ?? 900,
    _APP_STORAGE_LIMIT: STORAGE_LIMIT_BYTES,
    _APP_COMPUTE_SIZE_LIMIT: maxCodeBytes(deps),
    _APP_USAGE_STATS: 'disabled',
    _APP_VCS_ENABLED: false,
    _APP_DOMAIN_ENABLED: baseDomain !== 'localhost',
    _APP_ASSISTANT_ENABLED: false,
    _APP_DOMAIN_SITES: `sites.${baseDomain}`,
    _APP_DOMAIN_FUNCTIONS: functionsDomain,
    _APP_OPTIONS_FORCE_HTTPS: secure ? 'enabled' : 'disabled',
    _APP_DOMAINS_NAMESERVERS: '',
    _APP_DB_ADAPTER: deps.db.dialect.label,
    supportForRelationships: true,
    supportForOperators: true,
    supportForSpatials: false,
    supportForSpatialIndexNull: false,
    supportForFulltextWildcard: false,
    supportForMultipleFulltextIndexes: true,
    supportForAttributeResizing: true,
    supportForSchemas: true,
    maxIndexLength: MAX_INDEX_LENGTH,
    supportForIntegerIds: false,
  };
}

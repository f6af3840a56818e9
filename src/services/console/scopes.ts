import { apiKeyScopeCategories, apiKeyScopes, deprecatedApiKeyScopes } from '../../core/scopes.js';

export interface ConsoleKeyScope {
  $id: string;
  description: string;
  category: string;
  deprecated: boolean;
}

/** Resources whose plain name reads badly in a sentence. */
const RESOURCE_NAMES: Readonly<Record<string, string>> = {
  project: "the project's settings",
  'project.policies': "the project's policies",
  execution: 'function executions',
  executions: 'function executions',
  log: 'logs',
  mocks: 'mock phone numbers',
  oauth2: 'OAuth2 providers',
  vcs: 'version control connections',
  rules: 'domain rules',
  locale: 'locale data',
  avatars: 'avatars',
  health: "the server's health",
  assistant: 'the assistant',
};

function describe(scope: string): string {
  const at = scope.lastIndexOf('.');
  const resource = scope.slice(0, at);
  const action = scope.slice(at + 1);
  const name = RESOURCE_NAMES[resource] ?? `the project's ${resource}`;
  return action === 'read' ? `Read ${name}` : `Create, change and delete ${name}`;
}

const deprecated: ReadonlySet<string> = new Set(deprecatedApiKeyScopes);

/** Every scope an API key may be given, for the console's key editor. */
export function listProjectScopes(): { total: number; scopes: ConsoleKeyScope[] } {
  const scopes = apiKeyScopes.map((scope) => ({
    $id: scope,
    description: describe(scope),
    category: apiKeyScopeCategories[scope],
    deprecated: deprecated.has(scope),
  }));
  return { total: scopes.length, scopes };
}

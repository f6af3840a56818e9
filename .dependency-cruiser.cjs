// The layering of DESIGN.md, checked on every CI run (`npm run depcheck`). No exceptions are
// listed: a new import that breaks a rule is fixed, not allowed.
//
//   cli, app, workers   composition: wire the services, mount them on http, run jobs
//   services            one folder per API service; another is reached only through its index.ts
//   http                the request pipeline the services mount their routes on (routes.ts may
//                       name its request types and list parameters); imports only auth and core
//   auth                what every request needs before a service runs; data, infra and core only
//   data, infra         persistence and adapters to the outside world; core only
//   core                pure domain; imports nothing of ours
//
// Imports point down only, and nothing imports in a circle (type-only imports included).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing',
      comment: 'core is pure domain: it imports nothing of ours.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'data-imports-only-core',
      comment: 'Persistence knows the domain and nothing above it.',
      severity: 'error',
      from: { path: '^src/data/' },
      to: { path: '^src/', pathNot: '^src/(data|core)/' },
    },
    {
      name: 'infra-imports-only-core',
      comment: 'Adapters to the outside world know the domain and nothing above it.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: { path: '^src/', pathNot: '^src/(infra|core)/' },
    },
    {
      name: 'auth-sits-below-http-and-services',
      comment: 'Authentication runs before any service and imports data, infra and core only.',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/', pathNot: '^src/(auth|data|infra|core)/' },
    },
    {
      name: 'http-imports-auth-and-core',
      comment: 'The request pipeline resolves the caller through auth; app mounts the services on it, so it names none.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/', pathNot: '^src/(http|auth|core)/' },
    },
    {
      name: 'services-below-composition',
      comment: 'Services are wired by app, cli and workers, never the other way round.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/(app|cli|workers)/' },
    },
    {
      name: 'workers-below-composition',
      comment: 'Background job handlers are started by app and cli.',
      severity: 'error',
      from: { path: '^src/workers/' },
      to: { path: '^src/(app|cli)/' },
    },
    {
      name: 'app-below-cli',
      comment: 'The command line sits on top of the composition root.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'service-entered-by-its-index-from-outside',
      comment: 'Outside src/services, a service is reached only through its index.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/services/' },
      to: { path: '^src/services/[^/]+/', pathNot: '^src/services/[^/]+/index\\.ts$' },
    },
    {
      name: 'service-entered-by-its-index-from-another-service',
      comment: 'A service reaches another only through its index.ts (or the event bus).',
      severity: 'error',
      from: { path: '^src/services/([^/]+)/' },
      to: { path: '^src/services/[^/]+/', pathNot: ['^src/services/$1/', '^src/services/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-cycles',
      comment: 'Modules that import each other cannot be understood, tested or moved apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    // Type-only imports are imports too: a type that points upward ties the layers as well.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

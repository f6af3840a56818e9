import { AppError } from '../../core/errors.js';
import { availableRuntimeIds, type FunctionsSettings } from '../functions/index.js';

/** How a framework is built for one adapter, as Appwrite's framework list gives the defaults. */
export interface FrameworkAdapter {
  key: 'static' | 'ssr';
  installCommand: string;
  buildCommand: string;
  outputDirectory: string;
  fallbackFile: string;
  /** `ssr` only: the shell line that starts the framework's Node server, run from the built tree. */
  startCommand?: string;
  /**
   * `ssr` only: folders of the build whose files Plinth serves itself (the framework's client
   * output), each at a URL prefix; any other request reaches the server.
   */
  assets?: SsrAssets[];
}

export interface SsrAssets {
  /** URL path prefix, `/` or e.g. `/_next/static/`. */
  prefix: string;
  /** The folder inside the built tree. */
  dir: string;
  /** Whether every file there is named by its content, so browsers may keep it for good. */
  immutable?: boolean;
}

export interface Framework {
  key: string;
  name: string;
  adapters: FrameworkAdapter[];
}

const npmStatic = (outputDirectory: string, fallbackFile = ''): FrameworkAdapter => ({
  key: 'static',
  installCommand: 'npm install',
  buildCommand: 'npm run build',
  outputDirectory,
  fallbackFile,
});

const npmSsr = (outputDirectory: string, startCommand: string, assets: SsrAssets[]): FrameworkAdapter => ({
  key: 'ssr',
  installCommand: 'npm install',
  buildCommand: 'npm run build',
  outputDirectory,
  fallbackFile: '',
  startCommand,
  assets,
});

/** Next.js's standalone server when the build made one, else the app's own `next start`. */
const NEXT_START = 'if [ -f .next/standalone/server.js ]; then exec node .next/standalone/server.js; else exec node_modules/.bin/next start; fi';

/**
 * The frameworks this server builds, with the adapters it serves. `ssr` is offered where the
 * framework's Node server output is known to run here: SvelteKit's adapter-node, Astro's @astrojs/node
 * standalone server, Nuxt's node-server preset and Next.js's standalone output.
 */
export const FRAMEWORKS: readonly Framework[] = [
  { key: 'analog', name: 'Analog', adapters: [npmStatic('./dist/analog/public', 'index.html')] },
  { key: 'angular', name: 'Angular', adapters: [npmStatic('./dist/angular/browser', 'index.csr.html')] },
  {
    key: 'nextjs',
    name: 'Next.js',
    adapters: [
      npmStatic('./out'),
      // `output: 'standalone'` gives a server of its own; without it, the app's `next start` serves.
      // Either way the client files stay in .next/static and public, which Plinth serves itself.
      npmSsr('./.next', NEXT_START, [
        { prefix: '/_next/static/', dir: '.next/static', immutable: true },
        { prefix: '/', dir: 'public' },
      ]),
    ],
  },
  { key: 'react', name: 'React', adapters: [npmStatic('./dist', 'index.html')] },
  {
    key: 'nuxt',
    name: 'Nuxt',
    adapters: [
      { ...npmStatic('./.output/public'), buildCommand: 'npm run generate' },
      // The default node-server preset: a self-contained server and its client files under .output.
      npmSsr('./.output', 'node .output/server/index.mjs', [{ prefix: '/', dir: '.output/public' }]),
    ],
  },
  { key: 'vue', name: 'Vue.js', adapters: [npmStatic('./dist', 'index.html')] },
  {
    key: 'sveltekit',
    name: 'SvelteKit',
    adapters: [npmStatic('./build'), npmSsr('./build', 'node build/index.js', [{ prefix: '/', dir: 'build/client' }])],
  },
  { key: 'astro', name: 'Astro', adapters: [npmStatic('./dist'), npmSsr('./dist', 'node dist/server/entry.mjs', [{ prefix: '/', dir: 'dist/client' }])] },
  { key: 'remix', name: 'Remix', adapters: [npmStatic('./build/client')] },
  { key: 'vite', name: 'Vite', adapters: [npmStatic('./dist', 'index.html')] },
  { key: 'other', name: 'Other', adapters: [{ key: 'static', installCommand: '', buildCommand: '', outputDirectory: './', fallbackFile: '' }] },
];

/** Frameworks Appwrite names that this server cannot build (no toolchain for them here). */
const UNBUILDABLE = ['tanstack-start', 'lynx', 'flutter', 'react-native'];

/** Node runtimes this server offers and its host runs: sites build with Node. */
export function siteRuntimeIds(settings: FunctionsSettings | undefined): string[] {
  return availableRuntimeIds(settings).filter((id) => id.startsWith('node-'));
}

/** The default build runtime: the newest Node this host runs. */
function defaultRuntime(runtimes: string[]): string {
  return runtimes.find((id) => id === `node-${process.versions.node.split('.')[0]}`) ?? runtimes[runtimes.length - 1] ?? '';
}

export function listFrameworks(settings: FunctionsSettings | undefined): { total: number; frameworks: Array<Record<string, unknown>> } {
  const runtimes = siteRuntimeIds(settings);
  const frameworks = FRAMEWORKS.map((framework) => ({
    key: framework.key,
    name: framework.name,
    buildRuntime: defaultRuntime(runtimes),
    runtimes,
    adapters: framework.adapters.map(({ key, installCommand, buildCommand, outputDirectory, fallbackFile }) => ({ key, installCommand, buildCommand, outputDirectory, fallbackFile })),
  }));
  return { total: frameworks.length, frameworks };
}

/** The framework's defaults for the adapter; a framework or adapter this server cannot build is refused. */
export function requireFrameworkAdapter(frameworkKey: string, adapterKey: string): FrameworkAdapter {
  const framework = FRAMEWORKS.find((candidate) => candidate.key === frameworkKey);
  if (!framework) {
    const known = UNBUILDABLE.includes(frameworkKey) ? `Framework "${frameworkKey}" cannot be built by this server.` : `Invalid \`framework\` param: unknown framework "${frameworkKey}".`;
    throw new AppError('general_argument_invalid', `${known} Available: ${FRAMEWORKS.map((f) => f.key).join(', ')}.`);
  }
  const adapter = framework.adapters.find((candidate) => candidate.key === adapterKey);
  if (!adapter) {
    throw new AppError('general_argument_invalid', `Adapter "${adapterKey}" is not served for ${framework.name} by this server; available: ${framework.adapters.map((a) => a.key).join(', ')}.`);
  }
  return adapter;
}

/** The build runtime, which must be a Node this host runs. */
export function requireSiteRuntime(id: string, settings: FunctionsSettings | undefined): string {
  const runtimes = siteRuntimeIds(settings);
  if (!runtimes.includes(id)) throw new AppError('function_runtime_unsupported', `Runtime "${id}" is not available to build sites on this server. Available: ${runtimes.join(', ')}.`);
  return id;
}

/** The folders of a server-rendered build Plinth serves itself, for the framework. */
export function ssrAssetsOf(frameworkKey: string): SsrAssets[] {
  return FRAMEWORKS.find((framework) => framework.key === frameworkKey)?.adapters.find((adapter) => adapter.key === 'ssr')?.assets ?? [];
}

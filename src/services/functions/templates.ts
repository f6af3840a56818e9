import { AppError } from '../../core/errors.js';
import { RUNTIMES, type RuntimeDefinition } from './runtimes.js';

/** A runtime a template offers: how to build it and where its code sits (templates/functions/). */
interface TemplateRuntimeModel {
  name: string;
  commands: string;
  entrypoint: string;
  providerRootDirectory: string;
}

/** Appwrite's function template model. */
export interface TemplateModel {
  icon: string;
  id: string;
  name: string;
  tagline: string;
  permissions: string[];
  events: string[];
  cron: string;
  timeout: number;
  useCases: string[];
  runtimes: TemplateRuntimeModel[];
  instructions: string;
  vcsProvider: string;
  providerRepositoryId: string;
  providerOwner: string;
  providerVersion: string;
  variables: { name: string; description: string; value: string; secret: boolean; placeholder: string; required: boolean; type: string }[];
  scopes: string[];
}

/** How each runtime family builds and enters a template's code. */
const FAMILY_BUILDS: Record<string, { commands: string; entrypoint: string }> = {
  node: { commands: 'npm install', entrypoint: 'src/main.js' },
  bun: { commands: 'bun install', entrypoint: 'src/main.ts' },
  deno: { commands: '', entrypoint: 'src/main.ts' },
  python: { commands: 'pip install -r requirements.txt', entrypoint: 'src/main.py' },
  'python-ml': { commands: 'pip install -r requirements.txt', entrypoint: 'src/main.py' },
  php: { commands: '', entrypoint: 'src/index.php' },
  ruby: { commands: '', entrypoint: 'lib/main.rb' },
  go: { commands: '', entrypoint: 'main.go' },
  java: { commands: '', entrypoint: 'src/Main.java' },
  cpp: { commands: '', entrypoint: 'src/main.cc' },
  rust: { commands: '', entrypoint: 'src/lib.rs' },
};

function runtimesOf(templateId: string, runtimes: readonly RuntimeDefinition[]): TemplateRuntimeModel[] {
  return runtimes.map((runtime) => ({
    name: runtime.id,
    ...(FAMILY_BUILDS[runtime.key] ?? { commands: '', entrypoint: runtime.defaultEntrypoint }),
    providerRootDirectory: `${runtime.key}/${templateId}`,
  }));
}

/**
 * This server's own templates, one starter per runtime family it runs. Their code lives in
 * this project's templates/functions/ folder, not in a Git provider: the VCS fields are empty.
 */
const TEMPLATES: readonly TemplateModel[] = [
  {
    icon: 'icon-lightning-bolt',
    id: 'starter',
    name: 'Starter function',
    tagline: 'A function that answers a greeting in JSON, and text on /ping: a first thing to deploy and change.',
    permissions: ['any'],
    events: [],
    cron: '',
    timeout: 15,
    useCases: ['starter'],
    runtimes: runtimesOf('starter', RUNTIMES.filter((runtime) => runtime.key in FAMILY_BUILDS)),
    instructions: 'Upload the folder of your runtime as a deployment (the CLI packs it for you), then execute the function.',
    vcsProvider: '',
    providerRepositoryId: '',
    providerOwner: '',
    providerVersion: '',
    variables: [],
    scopes: [],
  },
];

export interface TemplateFilter {
  runtimes: string[];
  useCases: string[];
  limit: number;
  offset: number;
  total: boolean;
}

/** Templates offering any of the runtimes and any of the use cases asked (all, when none is). */
export function listTemplates(filter: TemplateFilter): { total: number; templates: TemplateModel[] } {
  const matching = TEMPLATES.filter(
    (template) =>
      (filter.runtimes.length === 0 || template.runtimes.some((runtime) => filter.runtimes.includes(runtime.name))) &&
      (filter.useCases.length === 0 || template.useCases.some((useCase) => filter.useCases.includes(useCase))),
  );
  return { total: filter.total ? matching.length : 0, templates: matching.slice(filter.offset, filter.offset + filter.limit) };
}

export function getTemplate(templateId: string): TemplateModel {
  const template = TEMPLATES.find((one) => one.id === templateId);
  if (!template) throw new AppError('function_template_not_found');
  return template;
}

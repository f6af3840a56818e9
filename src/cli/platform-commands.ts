import {
  createPlatform,
  isPlatformType,
  listPlatforms,
  PLATFORM_TARGET_FIELDS,
  PLATFORM_TYPES,
  type PlatformModel,
} from '../services/projects/index.js';
import type { CliContext } from './context.js';
import { optionalFlag, requiredFlag, type Flags } from './flags.js';
import { printResult, UsageError } from './output.js';
import { withServices } from './with-services.js';



/** What the platform answers to: a web hostname, or an app's bundle id, package name or app id. */
function targetOf(platform: PlatformModel): string {
  return (platform as unknown as Record<string, string>)[PLATFORM_TARGET_FIELDS[platform.type]] ?? '';
}

/** `--hostname` for web platforms, `--identifier` for apps: whichever the type needs. */
function readTarget(flags: Flags, type: string): string {
  const wanted = type === 'web' ? 'hostname' : 'identifier';
  const other = type === 'web' ? 'identifier' : 'hostname';
  if (flags[other] !== undefined) throw new UsageError(`--${other} does not apply to ${type} platforms; use --${wanted}`);
  return requiredFlag(flags, wanted);
}

export async function platformAdd(flags: Flags, cli: CliContext): Promise<void> {
  const type = requiredFlag(flags, 'type');
  if (!isPlatformType(type)) throw new UsageError(`--type must be one of ${PLATFORM_TYPES.join(', ')}`);
  const input = {
    projectId: requiredFlag(flags, 'project'),
    type,
    platformId: optionalFlag(flags, 'id') ?? 'unique()',
    name: requiredFlag(flags, 'name'),
    target: readTarget(flags, type),
  };
  const platform = await withServices(cli, (deps) => createPlatform(deps, input));
  printResult(cli, flags.json === true, platform, () => `Added ${platform.type} platform ${platform.$id} (${platform.name}) for ${targetOf(platform)}`);
}

export async function platformList(flags: Flags, cli: CliContext): Promise<void> {
  const projectId = requiredFlag(flags, 'project');
  // Every platform, not a page of them.
  const list = await withServices(cli, (deps) => listPlatforms(deps, projectId, { defaultLimit: Number.MAX_SAFE_INTEGER }));
  printResult(cli, flags.json === true, list, () =>
    list.platforms.length === 0
      ? 'No platforms yet.'
      : list.platforms.map((p) => `${p.$id}\t${p.type}\t${p.name}\t${targetOf(p)}`).join('\n'),
  );
}

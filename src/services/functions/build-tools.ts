import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { SandboxMount } from '../../infra/sandbox/sandbox.js';

/** Package managers a build command may call, taken from the server's own PATH. */
const TOOLS = ['npm', 'npx'];

/** What a build sees of the host's package managers beyond the system directories. */
export interface BuildTools {
  /** Directories outside /usr, shown read-only at the same path. */
  mounts: SandboxMount[];
  /** Their bin directories, for the build's PATH. */
  binDirs: string[];
}

/**
 * The sandbox shows /usr, so a system-wide npm works as it is. One installed elsewhere (nvm,
 * a tarball under /opt or a home directory) would be missing: its bin directory and npm's
 * package are shown read-only at the same paths (npm's launcher finds its files by path),
 * and nothing else of that installation.
 */
export function hostBuildTools(path = process.env.PATH ?? ''): BuildTools {
  const tools: BuildTools = { mounts: [], binDirs: [] };
  for (const tool of TOOLS) {
    const binDir = path.split(delimiter).find((dir) => dir !== '' && existsSync(join(dir, tool)));
    if (!binDir) continue;
    let real: string;
    let realBin: string;
    try {
      real = realpathSync(join(binDir, tool));
      realBin = realpathSync(binDir);
    } catch {
      continue;
    }
    if (real.startsWith('/usr/') || tools.binDirs.includes(realBin)) continue;
    // npm's own layout (<prefix>/bin beside <prefix>/lib/node_modules/npm): only those two are shown.
    const npmDir = join(dirname(realBin), 'lib', 'node_modules', 'npm');
    if (!real.startsWith(`${npmDir}/`)) continue;
    tools.mounts.push({ host: realBin, inside: realBin, writable: false }, { host: npmDir, inside: npmDir, writable: false });
    tools.binDirs.push(realBin);
  }
  return tools;
}

import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve, sep } from 'node:path';
import type { SsrAssets } from './frameworks.js';
import { sendStatic } from './static-files.js';

/** The file a URL path names in one asset folder of the build, when it is a file there. */
function assetPath(root: string, assets: SsrAssets, path: string): { base: string; relative: string } | undefined {
  if (!path.startsWith(assets.prefix)) return undefined;
  const relative = `/${path.slice(assets.prefix.length).replace(/^\/+/, '')}`;
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  const base = resolve(root, assets.dir);
  const file = resolve(base, `.${decoded}`);
  if (!file.startsWith(base + sep)) return undefined;
  return statSync(file, { throwIfNoEntry: false })?.isFile() ? { base, relative } : undefined;
}

/**
 * Answers a GET or HEAD for a file of the framework's client output (scripts, styles, images)
 * without reaching the site's server; resolves false when no such file exists.
 */
export async function sendSsrAsset(request: IncomingMessage, response: ServerResponse, root: string, folders: SsrAssets[], path: string): Promise<boolean> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  for (const assets of folders) {
    const found = assetPath(root, assets, path);
    if (found && (await sendStatic(request, response, found.base, found.relative, { immutable: assets.immutable }))) return true;
  }
  return false;
}

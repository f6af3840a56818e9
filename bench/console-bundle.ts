// What the console costs to download: the JS and CSS index.html loads at once (its module script,
// modulepreloads and stylesheets), and the largest chunk a page loads later, gzip-compressed as served.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSizes {
  initialJs: AssetSize[];
  initialCss: AssetSize[];
  /** The largest JS chunk index.html does not load. */
  largestLazy: AssetSize | undefined;
  lazyChunks: number;
}

export interface AssetSize {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** The build's brotli copy, which browsers that take brotli get; the gzip size when there is none. */
  brotliBytes: number;
}

/** The build's own `.gz` copy when there is one (what the server sends), else gzip level 9 as the build makes them. */
async function sizeOf(assets: string, file: string): Promise<AssetSize> {
  const body = await readFile(join(assets, file));
  const gzip = await readFile(join(assets, `${file}.gz`)).catch(() => gzipSync(body, { level: 9 }));
  const gzipBytes = Math.min(gzip.length, body.length);
  const brotli = await readFile(join(assets, `${file}.br`)).catch(() => undefined);
  return { file, bytes: body.length, gzipBytes, brotliBytes: Math.min(brotli?.length ?? gzipBytes, gzipBytes) };
}

/** Every /console/assets/ file index.html names in a script src or a link href. */
function referencedAssets(html: string): string[] {
  const files = [...html.matchAll(/(?:src|href)="\/console\/assets\/([^"]+)"/g)].map((match) => match[1]!);
  return [...new Set(files)];
}

export const gzipTotal = (assets: AssetSize[]) => assets.reduce((sum, asset) => sum + asset.gzipBytes, 0);
export const brotliTotal = (assets: AssetSize[]) => assets.reduce((sum, asset) => sum + asset.brotliBytes, 0);

export async function measureBundle(dist: string): Promise<BundleSizes> {
  const assets = join(dist, 'assets');
  const initial = referencedAssets(await readFile(join(dist, 'index.html'), 'utf8'));
  if (!initial.some((file) => file.endsWith('.js'))) throw new Error(`${dist}/index.html loads no script from /console/assets/`);
  const lazy = (await readdir(assets)).filter((file) => file.endsWith('.js') && !initial.includes(basename(file)));
  const lazySizes = await Promise.all(lazy.map((file) => sizeOf(assets, file)));
  return {
    initialJs: await Promise.all(initial.filter((file) => file.endsWith('.js')).map((file) => sizeOf(assets, file))),
    initialCss: await Promise.all(initial.filter((file) => file.endsWith('.css')).map((file) => sizeOf(assets, file))),
    largestLazy: lazySizes.sort((a, b) => b.gzipBytes - a.gzipBytes)[0],
    lazyChunks: lazy.length,
  };
}

// Pictures of three main pages for the README, at the bench's viewport, as palette PNGs to keep them small.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { VIEWPORT } from './console-browser.js';

export interface Shot {
  name: string;
  path: string;
  /** Waits until the page shows what the picture is of. */
  shown: (page: Page) => Promise<void>;
}

async function optimised(png: Buffer): Promise<Buffer> {
  return sharp(png).png({ palette: true, compressionLevel: 9, effort: 10 }).toBuffer();
}

/** Takes each shot in a signed-in context; answers the written files relative to `root`. */
export async function takeScreenshots(browser: Browser, storageState: BrowserContextOptions['storageState'], baseUrl: string, folder: string, root: string, shots: Shot[]): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const context = await browser.newContext({ viewport: VIEWPORT, storageState, colorScheme: 'light', reducedMotion: 'reduce' });
  const written: string[] = [];
  try {
    const page = await context.newPage();
    for (const shot of shots) {
      await page.goto(`${baseUrl}${shot.path}`);
      await shot.shown(page);
      const file = join(folder, `${shot.name}.png`);
      await writeFile(file, await optimised(await page.screenshot()));
      written.push(relative(root, file));
    }
  } finally {
    await context.close();
  }
  return written;
}

/** An icon a page declares, resolved against the page's URL. */
export interface IconLink {
  href: string;
  extension: string;
}

const ICON_EXTENSIONS = new Set(['svg', 'ico', 'png', 'jpg', 'jpeg']);

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of tag.matchAll(/([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    found.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '');
  }
  return found;
}

/**
 * The icon Appwrite would pick from a page: among `<link rel="icon">` and `rel="shortcut icon"`
 * of a known image type, an SVG first, else the largest declared size (later wins a tie);
 * `/favicon.ico` of the site when the page declares none.
 */
export function pickFavicon(html: string, pageUrl: string): IconLink {
  let best: IconLink | undefined;
  let bestArea = 0;
  for (const match of html.matchAll(/<link\b[^>]*>/gi)) {
    const attrs = attributes(match[0]);
    const rel = (attrs.get('rel') ?? '').toLowerCase().trim();
    if (rel !== 'icon' && rel !== 'shortcut icon') continue;
    let href: URL;
    try {
      href = new URL(attrs.get('href') ?? '', pageUrl);
    } catch {
      continue;
    }
    const extension = /\.([a-z0-9]+)$/i.exec(href.pathname)?.[1]?.toLowerCase() ?? '';
    if (!ICON_EXTENSIONS.has(extension)) continue;
    const area = extension === 'svg' ? Number.MAX_SAFE_INTEGER : sizeArea(attrs.get('sizes') ?? '');
    if (area >= bestArea) {
      bestArea = area;
      best = { href: href.toString(), extension };
    }
  }
  return best ?? { href: new URL('/favicon.ico', pageUrl).toString(), extension: 'ico' };
}

function sizeArea(sizes: string): number {
  const [width, height] = sizes.toLowerCase().split('x').map((n) => Number.parseInt(n, 10));
  return (width || 0) * (height || 0);
}

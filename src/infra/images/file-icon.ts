import { onFirstUse } from '../../core/load-package.js';

const loadSharp = onFirstUse<typeof import('sharp').default>('sharp');

/** The side of the icon when the request names no size. */
export const DEFAULT_ICON_SIZE = 150;

/**
 * A generic file-type icon for what cannot be previewed: a page with a folded corner and
 * the extension on a band, centred on a transparent canvas of the requested size (square
 * when only one side is given). Returned as PNG.
 */
export async function renderFileIcon(extension: string, width: number, height: number): Promise<Buffer> {
  const canvasWidth = width || height || DEFAULT_ICON_SIZE;
  const canvasHeight = height || width || DEFAULT_ICON_SIZE;
  return loadSharp()(Buffer.from(iconSvg(extension, canvasWidth, canvasHeight))).png().toBuffer();
}

function iconSvg(extension: string, width: number, height: number): string {
  // The page keeps a 4:5 shape whatever the canvas, filling 80% of its limiting side.
  const pageHeight = Math.min(height * 0.8, (width * 0.8 * 5) / 4);
  const pageWidth = (pageHeight * 4) / 5;
  const x = (width - pageWidth) / 2;
  const y = (height - pageHeight) / 2;
  const fold = pageWidth * 0.3;
  const label = labelOf(extension);
  const bandHeight = pageHeight * 0.24;
  const bandY = y + pageHeight * 0.55;
  const fontSize = Math.min(bandHeight * 0.7, (pageWidth * 1.5) / Math.max(label.length, 3));
  const page = [
    `M${x},${y}`,
    `H${x + pageWidth - fold}`,
    `L${x + pageWidth},${y + fold}`,
    `V${y + pageHeight}`,
    `H${x}`,
    'Z',
  ].join(' ');
  const corner = `M${x + pageWidth - fold},${y} V${y + fold} H${x + pageWidth} Z`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<path d="${page}" fill="#f4f6f8" stroke="#b0bac5" stroke-width="${Math.max(1, pageWidth / 60)}"/>`,
    `<path d="${corner}" fill="#d5dbe1"/>`,
    label
      ? `<rect x="${x}" y="${bandY}" width="${pageWidth}" height="${bandHeight}" fill="${colorOf(label)}"/>` +
        `<text x="${x + pageWidth / 2}" y="${bandY + bandHeight / 2}" font-family="DejaVu Sans, Arial, sans-serif" font-weight="bold" ` +
        `font-size="${fontSize}" fill="#ffffff" text-anchor="middle" dominant-baseline="central">${label}</text>`
      : '',
    '</svg>',
  ].join('');
}

/** Up to five letters or digits, upper case: anything else could break the SVG or the layout. */
function labelOf(extension: string): string {
  return extension.replace(/[^a-z0-9]/gi, '').slice(0, 5).toUpperCase();
}

const LABEL_COLORS = ['#e5534b', '#2f81f7', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf'];

/** The same extension always gets the same colour. */
function colorOf(label: string): string {
  let sum = 0;
  for (const char of label) sum = (sum * 31 + char.charCodeAt(0)) % 9973;
  return LABEL_COLORS[sum % LABEL_COLORS.length]!;
}

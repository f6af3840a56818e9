/** An SVG document reduced to what a frame needs: its coordinate box and its inner markup. */
export interface SvgArt {
  viewBox: { x: number; y: number; width: number; height: number };
  body: string;
}

/** Splits a whole SVG file into its viewBox and the markup inside the root element. */
export function parseSvgDocument(source: string): SvgArt {
  const open = /<svg\b[^>]*>/i.exec(source);
  const close = source.lastIndexOf('</svg>');
  if (!open || close < 0) throw new Error('Not an SVG document');
  const box = /viewBox="([^"]+)"/i.exec(open[0])?.[1]?.trim().split(/[\s,]+/).map(Number);
  if (!box || box.length !== 4 || box.some((n) => !Number.isFinite(n))) throw new Error('SVG without a viewBox');
  const [x, y, width, height] = box as [number, number, number, number];
  return { viewBox: { x, y, width, height }, body: source.slice(open.index + open[0].length, close) };
}

/** The output size of Appwrite's crop: a missing side follows the art's aspect ratio; both missing keep it. */
export function outputSize(art: SvgArt, width: number, height: number): { width: number; height: number } {
  const aspect = art.viewBox.width / art.viewBox.height;
  if (width === 0 && height === 0) return { width: Math.round(art.viewBox.width), height: Math.round(art.viewBox.height) };
  if (width === 0) return { width: Math.max(1, Math.round(height * aspect)), height };
  if (height === 0) return { width, height: Math.max(1, Math.round(width / aspect)) };
  return { width, height };
}

/** The art scaled to cover `width`×`height` and cropped around its centre, as one SVG document. */
export function coverSvg(art: SvgArt, width: number, height: number): string {
  const size = outputSize(art, width, height);
  const { x, y, width: w, height: h } = art.viewBox;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${size.width}" height="${size.height}" ` +
    `viewBox="${x} ${y} ${w} ${h}" preserveAspectRatio="xMidYMid slice">${art.body}</svg>`
  );
}

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

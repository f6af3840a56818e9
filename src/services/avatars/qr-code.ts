import { onFirstUse } from '../../core/load-package.js';

const loadQrCode = onFirstUse<typeof import('qrcode')>('qrcode');

/**
 * The text as a QR code of `size`×`size` pixels with a quiet zone of `margin` modules, black on
 * white, drawn as SVG (rendered to PNG by the caller).
 */
export async function qrCodeSvg(text: string, size: number, margin: number): Promise<string> {
  const svg = await loadQrCode().toString(text, { type: 'svg', margin, errorCorrectionLevel: 'M', color: { dark: '#000000ff', light: '#ffffffff' } });
  return svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
}

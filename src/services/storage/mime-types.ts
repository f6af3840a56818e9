import { extname } from 'node:path';

/** Bytes enough for file-type to recognise any format it knows. */
export const SNIFF_BYTES = 4100;

/** Types file-type cannot see in the content (text formats, damaged media), by extension. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  xhtml: 'application/xhtml+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  pdf: 'application/pdf',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  zip: 'application/zip',
};

export function extensionOf(name: string): string {
  return extname(name).replace(/^\./, '').toLowerCase();
}

/** The type the content shows; else the name's extension; else what the client declared; else text or binary. */
export async function detectMimeType(head: Buffer, name: string, declared: string | undefined): Promise<string> {
  // Loaded on the first upload: a server that stores no files never pays for it.
  const { fileTypeFromBuffer } = await import('file-type');
  const sniffed = await fileTypeFromBuffer(head);
  if (sniffed) return sniffed.mime;
  const byExtension = BY_EXTENSION[extensionOf(name)];
  if (byExtension) return byExtension;
  if (declared && declared !== 'application/octet-stream') return declared;
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  // A multi-byte character cut at the end of the sample is still text.
  return new TextDecoder('utf-8', { fatal: false }).decode(head).slice(0, -1).indexOf('\uFFFD') === -1;
}

/**
 * Types a browser would run or render as a document from the API's origin. They are never
 * served inline: a file view of one of them is sent as plain text.
 */
export function isActiveContent(mimeType: string): boolean {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  return (
    type === 'text/html' ||
    type === 'application/xhtml+xml' ||
    type === 'image/svg+xml' ||
    type === 'text/xml' ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'text/javascript' ||
    type === 'application/javascript' ||
    type === 'application/x-javascript' ||
    type === 'text/css' ||
    type === 'application/x-shockwave-flash' ||
    type === 'multipart/x-mixed-replace'
  );
}

import { AppError } from '../../core/errors.js';
import { fitImageToPng } from '../../infra/images/fit-image.js';
import { guardedFetch, OutboundError, type FetchedResponse } from '../../infra/outbound/guarded-fetch.js';
import { pickFavicon } from './favicon-links.js';
import { sanitizeSvg } from './svg-sanitizer.js';
import type { AvatarSettings } from './settings.js';

export interface AvatarImage {
  body: Buffer;
  contentType: string;
}

const USER_AGENT = 'Mozilla/5.0 (compatible; Plinth avatars)';
const FAVICON_SIZE = 56;
const FAVICON_REDIRECTS = 5;

async function fetchRemote(url: string, settings: AvatarSettings, maxRedirects: number): Promise<FetchedResponse> {
  try {
    return await guardedFetch(url, {
      allowPrivate: settings.allowPrivateUrls,
      maxBytes: settings.maxRemoteBytes,
      timeoutMs: settings.remoteTimeoutMs,
      maxRedirects,
      headers: { 'user-agent': USER_AGENT, accept: 'image/*,text/html;q=0.9,*/*;q=0.8' },
    });
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.reason === 'too_large') throw new AppError('avatar_remote_url_failed', `The remote file is larger than ${settings.maxRemoteBytes} bytes.`);
    if (error.reason === 'refused') throw new AppError('avatar_remote_url_failed', 'The URL points to a private or invalid address.');
    throw new AppError('avatar_remote_url_failed');
  }
}

/** Raster formats only: an SVG or anything else that is not a picture is not an image here. */
async function rasterToPng(body: Buffer, width: number, height: number, notFound: 'avatar_image_not_found' | 'avatar_icon_not_found'): Promise<Buffer> {
  if (!looksLikeRaster(body)) throw new AppError(notFound, 'The URL did not answer with an image.');
  try {
    return await fitImageToPng(body, { width, height });
  } catch {
    throw new AppError(notFound, 'The URL did not answer with an image.');
  }
}

/** `getImage`: the picture at `url` (no redirects, as Appwrite), cropped to cover width×height, as PNG. */
export async function remoteImage(url: string, width: number, height: number, settings: AvatarSettings): Promise<AvatarImage> {
  const response = await fetchRemote(url, settings, 0);
  if (response.status !== 200) throw new AppError('avatar_image_not_found');
  return { body: await rasterToPng(response.body, width, height, 'avatar_image_not_found'), contentType: 'image/png' };
}

/**
 * `getFavicon`: the page's best icon (redirects followed, each hop checked). ICO files come as
 * they are and SVG icons as SVG, as Appwrite sends them, rebuilt from their drawing alone (see
 * `sanitizeSvg`) so no script or outside reference reaches a browser; others as 56×56 PNG.
 */
export async function favicon(url: string, settings: AvatarSettings): Promise<AvatarImage> {
  const page = await fetchRemote(url, settings, FAVICON_REDIRECTS);
  const icon = pickFavicon(page.body.toString('utf8'), page.url);
  const response = await fetchRemote(icon.href, settings, FAVICON_REDIRECTS);
  if (response.status !== 200) throw new AppError('avatar_icon_not_found');
  const body = response.body;
  if (isIco(body)) return { body, contentType: 'image/x-icon' };
  if (icon.extension === 'svg' || looksLikeSvg(body)) {
    const clean = sanitizeSvg(body.toString('utf8'));
    if (clean === undefined) throw new AppError('avatar_svg_sanitization_failed');
    return { body: Buffer.from(clean), contentType: 'image/svg+xml' };
  }
  return { body: await rasterToPng(body, FAVICON_SIZE, FAVICON_SIZE, 'avatar_icon_not_found'), contentType: 'image/png' };
}

function isIco(body: Buffer): boolean {
  return body.length > 6 && body[0] === 0 && body[1] === 0 && body[2] === 1 && body[3] === 0;
}

function looksLikeSvg(body: Buffer): boolean {
  const head = body.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  return head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'));
}

function looksLikeRaster(body: Buffer): boolean {
  const ascii = body.subarray(0, 12).toString('latin1');
  return (
    (body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) ||
    ascii.startsWith('\x89PNG') ||
    ascii.startsWith('GIF8') ||
    (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') ||
    ascii.slice(4, 8) === 'ftyp' ||
    ascii.startsWith('II*\x00') ||
    ascii.startsWith('MM\x00*') ||
    ascii.startsWith('BM')
  );
}

import type { FastifyReply } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { renderSvgToPng } from '../../infra/images/fit-image.js';
import { LruCache } from '../../core/lru-cache.js';
import type { ServiceDeps } from '../deps.js';
import { FLAG_CODES } from './flag-codes.js';
import { BROWSER_CODES, browserArt, CREDIT_CARD_CODES, creditCardArt, flagArt } from './icon-sets.js';
import { initialsOf, initialsSvg } from './initials.js';
import { qrCodeSvg } from './qr-code.js';
import { favicon, remoteImage, type AvatarImage } from './remote-images.js';
import { screenshotQuery, takeScreenshot } from './screenshot.js';
import { DEFAULT_AVATAR_SETTINGS } from './settings.js';
import { coverSvg, type SvgArt } from './svg-frame.js';

const read = { config: { scope: 'avatars.read' } };

/** `?width=` as a hand-written URL may carry means the default, not zero. */
const blankAsDefault = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const integer = (min: number, max: number, fallback: number) =>
  blankAsDefault(
    z.coerce
      .number({ error: `Value must be a valid range between ${min} and ${max}` })
      .int({ error: `Value must be a valid range between ${min} and ${max}` })
      .min(min, { error: `Value must be a valid range between ${min} and ${max}` })
      .max(max, { error: `Value must be a valid range between ${min} and ${max}` })
      .default(fallback),
  );
const booleanFlag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])], { error: 'Value must be a valid boolean' })
  .default(false)
  .transform((value) => value === true || value === 'true' || value === '1');
const httpUrl = z
  .string({ error: 'Value must be a valid URL with following schemes (http, https)' })
  .max(2048)
  .refine((value) => /^https?:\/\/[^/?#\s]+/i.test(value) && URL.canParse(value), { error: 'Value must be a valid URL with following schemes (http, https)' });

const iconQuery = z.object({ width: integer(0, 2000, 100), height: integer(0, 2000, 100), quality: integer(-1, 100, -1) });
const initialsQuery = z.object({
  name: z.string().max(128, { error: 'Value must be a valid string and no longer than 128 chars' }).default(''),
  width: integer(0, 2000, 500),
  height: integer(0, 2000, 500),
  background: z.string().regex(/^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})?$/, { error: 'Value must be a valid hex color code' }).default(''),
});
const qrQuery = z.object({
  text: z.string({ error: 'Param "text" is not optional.' }).min(1, { error: 'Param "text" is not optional.' }).max(512, { error: 'Value must be a valid string and no longer than 512 chars' }),
  size: integer(1, 1000, 400),
  margin: integer(0, 10, 1),
  download: booleanFlag,
});
const imageQuery = z.object({ url: httpUrl, width: integer(0, 2000, 400), height: integer(0, 2000, 400) });
const faviconQuery = z.object({ url: httpUrl });

/** Icons and remote images stay the same for a long time: browsers keep them 30 days, initials and QR codes 45. */
const THIRTY_DAYS = 'private, max-age=2592000';
const FORTY_FIVE_DAYS = 'private, max-age=3888000';

function sendImage(reply: FastifyReply, image: AvatarImage, cacheControl: string): FastifyReply {
  return reply.header('Cache-Control', cacheControl).type(image.contentType).send(image.body);
}

/**
 * Icons, initials and QR codes drawn from their parameters alone, kept once rendered: the same
 * few are asked for over and over (a flag beside every user), and rendering costs a sharp pass.
 */
class RenderedImages {
  private readonly images = new LruCache<string, AvatarImage>({ maxEntries: 5000, maxWeight: 64 * 1024 * 1024, weigh: (image) => image.body.length });

  async png(key: string, svg: () => string | Promise<string>): Promise<AvatarImage> {
    const kept = this.images.get(key);
    if (kept) return kept;
    const image = { body: await renderSvgToPng(await svg()), contentType: 'image/png' };
    this.images.set(key, image);
    return image;
  }

  icon(kind: string, code: string, art: () => SvgArt, width: number, height: number): Promise<AvatarImage> {
    return this.png(`${kind}:${code}:${width}x${height}`, () => coverSvg(art(), width, height));
  }
}

/** How long a fetched picture is reused: a page of links asks for each one on every view, yet a site may change it. */
const REMOTE_IMAGE_TTL_MS = 5 * 60 * 1000;

/** Remote pictures and favicons, kept for a few minutes once fetched and drawn; failures are not kept. */
class RecentRemoteImages {
  private readonly images = new LruCache<string, { image: AvatarImage; until: number }>({
    maxEntries: 1000,
    maxWeight: 32 * 1024 * 1024,
    weigh: (entry) => entry.image.body.length,
  });

  async get(key: string, fetch: () => Promise<AvatarImage>): Promise<AvatarImage> {
    const kept = this.images.get(key);
    if (kept && kept.until > Date.now()) return kept.image;
    const image = await fetch();
    this.images.set(key, { image, until: Date.now() + REMOTE_IMAGE_TTL_MS });
    return image;
  }
}

export function avatarsRoutes(deps: ServiceDeps): RoutePlugin {
  const settings = deps.avatars ?? DEFAULT_AVATAR_SETTINGS;
  const rendered = new RenderedImages();
  const remote = new RecentRemoteImages();
  return async (app) => {
    app.get(
      '/avatars/browsers/:code',
      { ...read, schema: { params: z.object({ code: z.enum(BROWSER_CODES) }), querystring: iconQuery } },
      async (request, reply) =>
        sendImage(reply, await rendered.icon('browser', request.params.code, () => browserArt(request.params.code), request.query.width, request.query.height), THIRTY_DAYS),
    );
    app.get(
      '/avatars/credit-cards/:code',
      { ...read, schema: { params: z.object({ code: z.enum(CREDIT_CARD_CODES) }), querystring: iconQuery } },
      async (request, reply) =>
        sendImage(reply, await rendered.icon('card', request.params.code, () => creditCardArt(request.params.code), request.query.width, request.query.height), THIRTY_DAYS),
    );
    app.get(
      '/avatars/flags/:code',
      { ...read, schema: { params: z.object({ code: z.enum(FLAG_CODES) }), querystring: iconQuery } },
      async (request, reply) =>
        sendImage(reply, await rendered.icon('flag', request.params.code, () => flagArt(request.params.code), request.query.width, request.query.height), THIRTY_DAYS),
    );
    app.get('/avatars/initials', { ...read, schema: { querystring: initialsQuery } }, async (request, reply) => {
      const { name, width, height, background } = request.query;
      const user = request.ctx.user?.user;
      const initials = initialsOf(name !== '' ? name : user?.name || user?.email || '', background);
      // A side of 0 draws nothing in Appwrite either; one pixel keeps the PNG valid.
      const [w, h] = [Math.max(1, width), Math.max(1, height)];
      const image = await rendered.png(`initials:${JSON.stringify(initials)}:${w}x${h}`, () => initialsSvg(initials, w, h));
      return sendImage(reply, image, FORTY_FIVE_DAYS);
    });
    app.get('/avatars/qr', { ...read, schema: { querystring: qrQuery } }, async (request, reply) => {
      const { text, size, margin, download } = request.query;
      if (download) reply.header('Content-Disposition', 'attachment; filename="qr.png"');
      return sendImage(reply, await rendered.png(`qr:${size}:${margin}:${text}`, () => qrCodeSvg(text, size, margin)), FORTY_FIVE_DAYS);
    });
    app.get('/avatars/image', { ...read, schema: { querystring: imageQuery } }, async (request, reply) =>
      sendImage(reply, await remote.get(`image:${request.query.width}x${request.query.height}:${request.query.url}`, () => remoteImage(request.query.url, request.query.width, request.query.height, settings)), THIRTY_DAYS),
    );
    app.get('/avatars/favicon', { ...read, schema: { querystring: faviconQuery } }, async (request, reply) =>
      sendImage(reply, await remote.get(`favicon:${request.query.url}`, () => favicon(request.query.url, settings)), THIRTY_DAYS),
    );
    app.get('/avatars/screenshots', { ...read, schema: { querystring: screenshotQuery } }, async (request, reply) =>
      sendImage(reply, await takeScreenshot(request.query, settings), THIRTY_DAYS),
    );
  };
}

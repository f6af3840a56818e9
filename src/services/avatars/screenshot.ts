import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { onFirstUse } from '../../core/load-package.js';
import { encodeImage, type EncodableFormat } from '../../infra/images/fit-image.js';
import { resolvesToPrivate } from '../../infra/net/public-address.js';
import type { AvatarImage } from './remote-images.js';
import type { AvatarSettings } from './settings.js';

const loadPlaywright = onFirstUse<typeof import('playwright-core')>('playwright-core');

const range = (min: number, max: number, fallback: number, int = true) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    (int ? z.coerce.number().int() : z.coerce.number())
      .min(min, { error: `Value must be a valid range between ${min} and ${max}` })
      .max(max, { error: `Value must be a valid range between ${min} and ${max}` })
      .default(fallback),
  );
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])], { error: 'Value must be a valid boolean' })
  .default(false)
  .transform((value) => value === true || value === 'true' || value === '1');

/** The browser permissions a page may be granted, as Appwrite's `BrowserPermission`; Chromium refuses others mid-capture. */
const BROWSER_PERMISSIONS = [
  'geolocation', 'camera', 'microphone', 'notifications', 'midi', 'push', 'clipboard-read', 'clipboard-write', 'payment-handler', 'usb',
  'bluetooth', 'accelerometer', 'gyroscope', 'magnetometer', 'ambient-light-sensor', 'background-sync', 'persistent-storage',
  'screen-wake-lock', 'web-share', 'xr-spatial-tracking',
] as const;
const permissionList = z
  .union([z.array(z.enum(BROWSER_PERMISSIONS)), z.enum(BROWSER_PERMISSIONS).transform((one) => [one])], {
    error: `Value must be a list of ${BROWSER_PERMISSIONS.join(', ')}`,
  })
  .default([]);

const TIME_ZONES = new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));

/** Every parameter of `getScreenshot`, with Appwrite's ranges and defaults. */
export const screenshotQuery = z.object({
  url: z.string().max(2048).refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), { error: 'Value must be a valid URL with following schemes (http, https)' }),
  headers: z.union([z.record(z.string(), z.string()), z.string()]).optional(),
  viewportWidth: range(1, 1920, 1280),
  viewportHeight: range(1, 1080, 720),
  scale: range(0.1, 3, 1, false),
  theme: z.enum(['light', 'dark']).default('light'),
  userAgent: z.string().max(512).default(''),
  fullpage: flag,
  locale: z.string().max(35).default(''),
  timezone: z
    .string()
    .default('')
    .refine((value) => value === '' || TIME_ZONES.has(value.toLowerCase()), { error: 'Value must be one of the IANA time zones' }),
  latitude: range(-90, 90, 0, false),
  longitude: range(-180, 180, 0, false),
  accuracy: range(0, 100000, 0, false),
  touch: flag,
  permissions: permissionList,
  sleep: range(0, 10, 0),
  width: range(0, 2000, 0),
  height: range(0, 2000, 0),
  quality: range(-1, 100, -1),
  output: z.enum(['jpg', 'jpeg', 'png', 'webp', 'heic', 'avif', 'gif', '']).default(''),
});

export type ScreenshotQuery = z.infer<typeof screenshotQuery>;

function parseHeaders(headers: ScreenshotQuery['headers']): Record<string, string> {
  if (headers === undefined || headers === '') return {};
  if (typeof headers !== 'string') return headers;
  try {
    const parsed = JSON.parse(headers) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    // falls through to the error below
  }
  throw new AppError('general_argument_invalid', 'Invalid `headers` param: Value must be a valid object.');
}

/** A name that does not resolve counts as private: the page could not be reached anyway. */
async function hostIsPrivate(hostname: string): Promise<boolean> {
  return resolvesToPrivate(hostname).catch(() => true);
}

/**
 * `getScreenshot`: the page rendered by headless Chromium with the asked viewport, theme, locale,
 * time zone and geolocation. Every request the page makes is checked as the page itself is, so a
 * public page cannot make the browser reach a private address.
 */
export async function takeScreenshot(query: ScreenshotQuery, settings: AvatarSettings): Promise<AvatarImage> {
  if (!settings.chromiumPath) throw new AppError('general_server_error', 'Screenshots need headless Chromium: set PLINTH_CHROMIUM to its path.', { status: 501 });
  const headers = parseHeaders(query.headers);
  if (!settings.allowPrivateUrls && (await hostIsPrivate(new URL(query.url).hostname))) {
    throw new AppError('avatar_remote_url_failed', 'The URL points to a private or invalid address.');
  }
  const browser = await loadPlaywright().chromium.launch({
    executablePath: settings.chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: settings.remoteTimeoutMs,
  });
  try {
    const context = await browser.newContext({
      viewport: { width: query.viewportWidth, height: query.viewportHeight },
      deviceScaleFactor: query.scale,
      colorScheme: query.theme,
      hasTouch: query.touch,
      extraHTTPHeaders: headers,
      ...(query.userAgent ? { userAgent: query.userAgent } : {}),
      ...(query.locale ? { locale: query.locale } : {}),
      ...(query.timezone ? { timezoneId: TIME_ZONES.get(query.timezone.toLowerCase())! } : {}),
      ...(query.latitude || query.longitude ? { geolocation: { latitude: query.latitude, longitude: query.longitude, accuracy: query.accuracy } } : {}),
      permissions: query.permissions,
    });
    if (!settings.allowPrivateUrls) {
      await context.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        const safe = (url.protocol === 'http:' || url.protocol === 'https:') && !(await hostIsPrivate(url.hostname));
        await (safe || url.protocol === 'data:' ? route.continue() : route.abort('blockedbyclient'));
      });
    }
    const page = await context.newPage();
    try {
      await page.goto(query.url, { waitUntil: 'load', timeout: settings.remoteTimeoutMs });
    } catch {
      throw new AppError('avatar_remote_url_failed');
    }
    if (query.sleep > 0) await page.waitForTimeout(query.sleep * 1000);
    const shot = await page.screenshot({ fullPage: query.fullpage, type: 'png' });
    return await encodeScreenshot(shot, query);
  } finally {
    await browser.close();
  }
}

async function encodeScreenshot(shot: Buffer, query: ScreenshotQuery): Promise<AvatarImage> {
  const format: EncodableFormat = query.output === '' ? 'png' : query.output === 'jpg' ? 'jpeg' : query.output;
  if (format === 'png' && query.width === 0 && query.height === 0) return { body: shot, contentType: 'image/png' };
  return { body: await encodeImage(shot, { width: query.width, height: query.height, quality: query.quality, format }), contentType: `image/${format}` };
}

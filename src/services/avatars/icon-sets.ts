import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { escapeXml, parseSvgDocument, type SvgArt } from './svg-frame.js';

const requireAsset = createRequire(import.meta.url);

/** The codes of the spec's enums, in its order. */
export const BROWSER_CODES = ['aa', 'an', 'ch', 'ci', 'cm', 'cr', 'ff', 'sf', 'mf', 'ps', 'oi', 'om', 'op', 'on'] as const;
export const CREDIT_CARD_CODES = [
  'amex', 'argencard', 'cabal', 'cencosud', 'diners', 'discover', 'elo', 'hipercard', 'jcb', 'mastercard',
  'naranja', 'targeta-shopping', 'unionpay', 'visa', 'mir', 'maestro', 'rupay',
] as const;

type BrowserCode = (typeof BROWSER_CODES)[number];
type CreditCardCode = (typeof CREDIT_CARD_CODES)[number];

/** Logos from the Iconify "logos" set (CC0); a code without one gets a badge of our own. */
const BROWSER_LOGOS: Record<BrowserCode, { logo?: string; name: string; colour: string }> = {
  aa: { name: 'Av', colour: '#1f6fb2' },
  an: { logo: 'android-icon', name: 'An', colour: '#3ddc84' },
  ch: { logo: 'chrome', name: 'Ch', colour: '#1a73e8' },
  ci: { logo: 'chrome', name: 'Ch', colour: '#1a73e8' },
  cm: { logo: 'chrome', name: 'Ch', colour: '#1a73e8' },
  cr: { name: 'Cr', colour: '#4285f4' },
  ff: { logo: 'firefox', name: 'Ff', colour: '#ff7139' },
  sf: { logo: 'safari', name: 'Sf', colour: '#1e88e5' },
  mf: { logo: 'safari', name: 'Sf', colour: '#1e88e5' },
  ps: { logo: 'microsoft-edge', name: 'Ed', colour: '#0c59a4' },
  oi: { logo: 'microsoft-edge', name: 'Ed', colour: '#0c59a4' },
  om: { logo: 'opera', name: 'Op', colour: '#ff1b2d' },
  op: { logo: 'opera', name: 'Op', colour: '#ff1b2d' },
  on: { logo: 'opera', name: 'Op', colour: '#ff1b2d' },
};

const CARD_LOGOS: Record<CreditCardCode, { logo?: string; name: string; colour: string }> = {
  amex: { logo: 'amex', name: 'American Express', colour: '#016fd0' },
  argencard: { name: 'Argencard', colour: '#1b3f8b' },
  cabal: { name: 'Cabal', colour: '#005aa9' },
  cencosud: { name: 'Cencosud', colour: '#0072bc' },
  diners: { logo: 'dinersclub', name: 'Diners Club', colour: '#0079be' },
  discover: { logo: 'discover', name: 'Discover', colour: '#ff6000' },
  elo: { logo: 'elo', name: 'Elo', colour: '#000000' },
  hipercard: { logo: 'hipercard', name: 'Hipercard', colour: '#b3131b' },
  jcb: { logo: 'jcb', name: 'JCB', colour: '#0b4ea2' },
  mastercard: { logo: 'mastercard', name: 'Mastercard', colour: '#eb001b' },
  naranja: { name: 'Naranja', colour: '#fe5000' },
  'targeta-shopping': { name: 'Tarjeta Shopping', colour: '#e30613' },
  unionpay: { logo: 'unionpay', name: 'UnionPay', colour: '#e21836' },
  visa: { logo: 'visa', name: 'Visa', colour: '#1a1f71' },
  mir: { name: 'MIR', colour: '#0f754e' },
  maestro: { logo: 'maestro', name: 'Maestro', colour: '#0099df' },
  rupay: { name: 'RuPay', colour: '#097a44' },
};

interface IconifySet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string; width?: number; height?: number; left?: number; top?: number }>;
}

let logos: IconifySet | undefined;

function logoArt(name: string): SvgArt {
  logos ??= JSON.parse(readFileSync(requireAsset.resolve('@iconify-json/logos/icons.json'), 'utf8')) as IconifySet;
  const icon = logos.icons[name];
  if (!icon) throw new Error(`No logo ${name}`);
  const width = icon.width ?? logos.width ?? 16;
  const height = icon.height ?? logos.height ?? 16;
  return { viewBox: { x: icon.left ?? 0, y: icon.top ?? 0, width, height }, body: icon.body };
}

/** `art` drawn inside a box, scaled to fit with the given padding, as nested SVG markup. */
function placed(art: SvgArt, x: number, y: number, width: number, height: number): string {
  const { viewBox: v } = art;
  return `<svg x="${x}" y="${y}" width="${width}" height="${height}" viewBox="${v.x} ${v.y} ${v.width} ${v.height}" preserveAspectRatio="xMidYMid meet">${art.body}</svg>`;
}

function lettering(text: string, colour: string, x: number, y: number, size: number): string {
  return `<text x="${x}" y="${y}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-weight="bold" font-size="${size}" fill="${colour}" text-anchor="middle" dominant-baseline="central">${escapeXml(text)}</text>`;
}

/** A square browser icon: its logo, or a round badge with its initials. */
export function browserArt(code: BrowserCode): SvgArt {
  const entry = BROWSER_LOGOS[code];
  const body = entry.logo
    ? placed(logoArt(entry.logo), 8, 8, 240, 240)
    : `<circle cx="128" cy="128" r="120" fill="${entry.colour}"/>${lettering(entry.name, '#ffffff', 128, 128, 110)}`;
  return { viewBox: { x: 0, y: 0, width: 256, height: 256 }, body };
}

/** A card of the ID-1 shape (85.6 × 54 mm) with the scheme's logo, or its name, on it. */
export function creditCardArt(code: CreditCardCode): SvgArt {
  const entry = CARD_LOGOS[code];
  const face = `<rect x="2" y="2" width="316" height="198" rx="18" fill="#ffffff" stroke="#d0d4da" stroke-width="4"/>`;
  const mark = entry.logo
    ? placed(logoArt(entry.logo), 40, 40, 240, 122)
    : lettering(entry.name, entry.colour, 160, 101, entry.name.length > 10 ? 30 : 42);
  return { viewBox: { x: 0, y: 0, width: 320, height: 202 }, body: face + mark };
}

const flags = new Map<string, SvgArt>();

/** A country's flag (4:3) from the flag-icons package (MIT). */
export function flagArt(code: string): SvgArt {
  let art = flags.get(code);
  if (!art) {
    art = parseSvgDocument(readFileSync(requireAsset.resolve(`flag-icons/flags/4x3/${code}.svg`), 'utf8'));
    flags.set(code, art);
  }
  return art;
}

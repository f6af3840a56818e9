import { escapeXml } from './svg-frame.js';

/** Appwrite's five background colours, picked by the initials' character codes. */
const THEMES = ['#FD366E', '#FE9567', '#7C67FE', '#68A3FE', '#85DBD8'] as const;

export interface Initials {
  text: string;
  background: string;
}

/**
 * The first letters of the first two words (split on spaces, or on underscores when there is
 * one word), upper case, letters and digits only; the colour follows the last digit of the sum
 * of their character codes, so one name always gets one colour.
 */
export function initialsOf(name: string, background: string): Initials {
  const upper = name.toUpperCase();
  let words = upper.split(' ');
  if (words.length === 1) words = upper.split('_');
  let text = '';
  let code = 0;
  for (const [index, word] of words.entries()) {
    const first = word[0] ?? '';
    if (!/^[A-Z0-9]$/.test(first)) continue;
    text += first;
    code += first.charCodeAt(0);
    if (index === 1) break;
  }
  const digit = code % 10;
  return { text, background: background !== '' ? `#${background}` : THEMES[digit % THEMES.length]! };
}

/** The initials punched out of a solid background: the letters are transparent, as Appwrite draws them. */
export function initialsSvg({ text, background }: Initials, width: number, height: number): string {
  const fontSize = Math.min(width, height) / 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<mask id="letters"><rect width="${width}" height="${height}" fill="#fff"/>` +
    `<text x="${width / 2}" y="${height / 2 + fontSize / 3}" font-family="DejaVu Sans, Liberation Sans, sans-serif" ` +
    `font-size="${fontSize}" fill="#000" text-anchor="middle">${escapeXml(text)}</text></mask>` +
    `<rect width="${width}" height="${height}" fill="${background}" mask="url(#letters)"/></svg>`
  );
}

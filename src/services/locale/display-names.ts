/**
 * Country and continent names in one of Appwrite's locale codes, from the
 * runtime's ICU (Intl.DisplayNames), with English from the shipped tables
 * wherever ICU has nothing to say.
 */

import { CONTINENTS } from './continents-data.js';
import { COUNTRIES } from './countries-data.js';
import { UNKNOWN_LABELS } from './unknown-labels.js';

export interface LocaleNames {
  /** Name of a country Appwrite lists, or undefined for any other code. */
  country(code: string): string | undefined;
  /** Name of a continent code (AF, AN, AS, EU, NA, OC, SA), or undefined. */
  continent(code: string): string | undefined;
  /** The word for an IP that cannot be placed. */
  readonly unknown: string;
}

const ENGLISH_COUNTRIES = new Map(COUNTRIES.map(([code, , name]) => [code, name]));
const ENGLISH_CONTINENTS = new Map(CONTINENTS.map(([code, , name]) => [code, name]));
const CONTINENT_REGIONS = new Map(CONTINENTS.map(([code, region]) => [code, region]));

// Appwrite codes that are not the language's BCP 47 subtag ('ji' is canonicalised by Intl itself).
const ICU_ALIASES: Readonly<Record<string, string>> = { ua: 'uk', sb: 'hsb' };

// ICU's full names for these are disambiguations ('Hong Kong SAR China',
// 'Palestinian Territories'); its short style gives the plain name.
const SHORT_STYLE = new Set(['HK', 'PS']);

const ENGLISH: LocaleNames = {
  country: (code) => ENGLISH_COUNTRIES.get(code),
  continent: (code) => ENGLISH_CONTINENTS.get(code),
  unknown: UNKNOWN_LABELS['en'] ?? 'Unknown',
};

/** BCP 47 tag for one of Appwrite's locale codes: 'pt-br' → 'pt-BR', 'ua' → 'uk'. */
export function icuTag(code: string): string | undefined {
  const [language = '', ...rest] = code.split('-');
  const aliased = [ICU_ALIASES[language] ?? language, ...rest].join('-');
  try {
    return Intl.getCanonicalLocales(aliased)[0];
  } catch {
    return undefined;
  }
}

/** Builds the name lookups for a resolved Appwrite locale code (not memoised: see locale.ts). */
export function namesFor(code: string): LocaleNames {
  const tag = icuTag(code);
  const language = tag?.split('-')[0];
  // English is served from the tables, like every locale ICU has no data for.
  if (!tag || language === 'en' || Intl.DisplayNames.supportedLocalesOf([tag]).length === 0) {
    return ENGLISH;
  }
  const long = new Intl.DisplayNames([tag], { type: 'region', fallback: 'none' });
  const short = new Intl.DisplayNames([tag], { type: 'region', style: 'short', fallback: 'none' });
  const unknown = UNKNOWN_LABELS[language ?? ''] ?? ENGLISH.unknown;

  return {
    country(code) {
      const english = ENGLISH_COUNTRIES.get(code);
      if (english === undefined) return undefined;
      let name = (SHORT_STYLE.has(code) ? short : long).of(code);
      // ICU appends the exonym for Myanmar in some languages: 'Myanmar (Burma)'.
      if (code === 'MM' && name) name = name.replace(/\s*\(.*\)$/, '');
      return name || english;
    },
    continent(code) {
      const region = CONTINENT_REGIONS.get(code);
      if (region === undefined) return undefined;
      return long.of(region) || ENGLISH_CONTINENTS.get(code);
    },
    unknown,
  };
}

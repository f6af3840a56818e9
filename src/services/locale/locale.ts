/**
 * The Locale service: the response bodies of Appwrite's eight /locale routes,
 * as pure functions of the request's locale (and IP, for GET /locale).
 *
 * Lists are built once per locale and then shared: they are frozen, so a
 * caller must copy before changing one.
 */

import { CONTINENTS } from './continents-data.js';
import { COUNTRIES } from './countries-data.js';
import { CURRENCIES } from './currencies-data.js';
import { namesFor, type LocaleNames } from './display-names.js';
import { EU_MEMBERS } from './eu-members.js';
import { LANGUAGES } from './languages-data.js';
import { LOCALE_CODES } from './locale-codes-data.js';
import type {
  ContinentList,
  CountryList,
  CurrencyList,
  LanguageList,
  LocaleCodeList,
  LocaleModel,
  PhoneList,
} from './models.js';

export const DEFAULT_LOCALE = 'en';

const KNOWN_CODES: ReadonlySet<string> = new Set(LOCALE_CODES.map(([code]) => code));
const EU: ReadonlySet<string> = new Set(EU_MEMBERS);

/**
 * The locale to answer in, from `X-Appwrite-Locale` (or the `locale` param):
 * one of Appwrite's codes ('de', 'pt-br', ...), else English. Appwrite itself
 * matches the exact string; case and '_' are forgiven here ('pt_BR' → 'pt-br').
 */
export function resolveLocale(value: string | null | undefined): string {
  if (!value) return DEFAULT_LOCALE;
  if (KNOWN_CODES.has(value)) return value;
  const normalised = value.trim().toLowerCase().replaceAll('_', '-');
  return KNOWN_CODES.has(normalised) ? normalised : DEFAULT_LOCALE;
}

/**
 * Memoises a per-locale builder. Keys are resolved codes only, so the cache
 * can never outgrow the 131 locale codes whatever callers pass in.
 */
function perLocale<T>(build: (code: string) => T): (locale: string) => T {
  const cache = new Map<string, T>();
  return (locale) => {
    const hit = cache.get(locale);
    if (hit !== undefined) return hit;
    const code = resolveLocale(locale);
    let value = cache.get(code);
    if (value === undefined) {
      value = build(code);
      cache.set(code, value);
    }
    return value;
  };
}

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Appwrite sorts names with PHP's strcmp, i.e. by UTF-8 bytes, which is code
 * point order; JS's `<` compares UTF-16 units and ranks astral characters
 * below U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const byName = (a: { name: string; code: string }, b: { name: string; code: string }): number =>
  compareCodePoints(a.name, b.name) || compareCodePoints(a.code, b.code);

const names = perLocale<LocaleNames>(namesFor);

function countriesWhere(code: string, keep: (country: string) => boolean): CountryList {
  const localNames = names(code);
  const countries = COUNTRIES.filter(([country]) => keep(country))
    .map(([country, , english]) => ({ name: localNames.country(country) ?? english, code: country }))
    .sort(byName);
  return deepFreeze({ total: countries.length, countries });
}

/** GET /locale/countries: the 197 countries, sorted by their name in the locale. */
export const listCountries: (locale: string) => CountryList = perLocale((code) =>
  countriesWhere(code, () => true),
);

/** GET /locale/countries/eu: the 27 EU members, sorted by their name in the locale. */
export const listEuCountries: (locale: string) => CountryList = perLocale((code) =>
  countriesWhere(code, (country) => EU.has(country)),
);

/**
 * GET /locale/countries/phones: 196 entries (no HK), sorted by the prefix as a
 * number (Appwrite's asort); equal prefixes keep Appwrite's order (CA before US).
 */
export const listCountryPhones: (locale: string) => PhoneList = perLocale((code) => {
  const localNames = names(code);
  const phones = COUNTRIES.filter(([, prefix]) => prefix !== '')
    .sort(([a, pa], [b, pb]) => Number(pa) - Number(pb) || compareCodePoints(a, b))
    .map(([country, prefix, english]) => ({
      code: `+${prefix}`,
      countryCode: country,
      countryName: localNames.country(country) ?? english,
    }));
  return deepFreeze({ total: phones.length, phones });
});

/** GET /locale/continents: the 7 continents, sorted by their name in the locale. */
export const listContinents: (locale: string) => ContinentList = perLocale((code) => {
  const localNames = names(code);
  const continents = CONTINENTS.map(([continent, , english]) => ({
    name: localNames.continent(continent) ?? english,
    code: continent,
  })).sort(byName);
  return deepFreeze({ total: continents.length, continents });
});

const currencies = once(() => {
  const list = CURRENCIES.map(([code, symbol, symbolNative, decimalDigits, rounding, name, namePlural]) => ({
    symbol,
    name,
    symbolNative,
    decimalDigits,
    rounding,
    code,
    namePlural,
  }));
  return deepFreeze({ total: list.length, currencies: list });
});

/** GET /locale/currencies: 117 currencies in Appwrite's order. Appwrite does not translate them. */
export function listCurrencies(_locale?: string): CurrencyList {
  return currencies();
}

const languages = once(() => {
  const list = LANGUAGES.map(([code, name, nativeName]) => ({ name, code, nativeName }));
  return deepFreeze({ total: list.length, languages: list });
});

/** GET /locale/languages: 186 languages in Appwrite's order. Appwrite does not translate them. */
export function listLanguages(_locale?: string): LanguageList {
  return languages();
}

const localeCodes = once(() => {
  const list = LOCALE_CODES.map(([code, name]) => ({ code, name }));
  return deepFreeze({ total: list.length, localeCodes: list });
});

/** GET /locale/codes: the 131 locale codes X-Appwrite-Locale accepts, in Appwrite's order. */
export function listLocaleCodes(): LocaleCodeList {
  return localeCodes();
}

/** Where an IP geolocation database places an IP (ISO country and continent codes). */
export interface GeoRecord {
  countryCode: string;
  continentCode: string;
}

/**
 * GET /locale for `ip`. Without a geolocation database (the default `lookup`)
 * every IP is one Appwrite cannot place: '--' codes, the locale's word for
 * "Unknown" as both names, eu false and an empty currency.
 */
export function describeIp(
  ip: string,
  locale: string,
  lookup: (ip: string) => GeoRecord | null = () => null,
): LocaleModel {
  const localNames = names(locale);
  const record = lookup(ip);
  if (!record) {
    return {
      ip,
      countryCode: '--',
      country: localNames.unknown,
      continentCode: '--',
      continent: localNames.unknown,
      eu: false,
      currency: '',
    };
  }
  const { countryCode, continentCode } = record;
  // Appwrite keeps the last currency whose locations name the country (only
  // USD, ILS, INR and PLN have any), so most countries get ''.
  const currency = CURRENCIES.findLast(([, , , , , , , locations]) => locations?.includes(countryCode));
  return {
    ip,
    countryCode,
    country: localNames.country(countryCode) ?? localNames.unknown,
    continentCode,
    continent: localNames.continent(continentCode) ?? localNames.unknown,
    eu: EU.has(countryCode),
    currency: currency?.[0] ?? '',
  };
}

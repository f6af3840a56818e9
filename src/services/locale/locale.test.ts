import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareCodePoints,
  describeIp,
  listContinents,
  listCountries,
  listCountryPhones,
  listCurrencies,
  listEuCountries,
  listLanguages,
  listLocaleCodes,
  resolveLocale,
} from './locale.js';

const nameOf = (list: { countries: { code: string; name: string }[] }, code: string) =>
  list.countries.find((country) => country.code === code)?.name;

const isSorted = (names: string[]) =>
  names.every((name, i) => i === 0 || compareCodePoints(names[i - 1] ?? '', name) <= 0);

test('resolveLocale accepts Appwrite codes and falls back to English', () => {
  assert.equal(resolveLocale(undefined), 'en');
  assert.equal(resolveLocale(''), 'en');
  assert.equal(resolveLocale('de'), 'de');
  assert.equal(resolveLocale('pt-br'), 'pt-br');
  assert.equal(resolveLocale(' PT_BR '), 'pt-br');
  assert.equal(resolveLocale('DE'), 'de');
  assert.equal(resolveLocale('non-existing'), 'en');
  assert.equal(resolveLocale('de-DE'), 'en'); // not one of Appwrite's codes
  assert.equal(resolveLocale('uk'), 'en'); // Appwrite spells Ukrainian 'ua'
  assert.equal(resolveLocale('ua'), 'ua');
});

test('countries: 197, sorted by localised name, in every locale', () => {
  for (const { code } of listLocaleCodes().localeCodes) {
    const list = listCountries(code);
    assert.equal(list.total, 197, code);
    assert.equal(list.countries.length, 197, code);
    assert.equal(new Set(list.countries.map((country) => country.code)).size, 197, code);
    assert.ok(list.countries.every((country) => country.name !== ''), code);
    assert.ok(isSorted(list.countries.map((country) => country.name)), code);
  }
  assert.deepEqual(listCountries('en').countries[0], { name: 'Afghanistan', code: 'AF' });
  assert.deepEqual(listCountries('es').countries[0], { name: 'Afganistán', code: 'AF' });
});

test('country names in en, de, fr and es', () => {
  const expected: Record<string, Record<string, string>> = {
    en: { DE: 'Germany', US: 'United States', GB: 'United Kingdom', HK: 'Hong Kong', CI: 'Ivory Coast' },
    de: { DE: 'Deutschland', US: 'Vereinigte Staaten', HK: 'Hongkong', PS: 'Palästina', JP: 'Japan' },
    fr: { DE: 'Allemagne', US: 'États-Unis', HK: 'Hong Kong', MM: 'Myanmar', ES: 'Espagne' },
    es: { DE: 'Alemania', US: 'Estados Unidos', HK: 'Hong Kong', MM: 'Myanmar', FR: 'Francia' },
  };
  for (const [locale, names] of Object.entries(expected)) {
    const list = listCountries(locale);
    for (const [code, name] of Object.entries(names)) assert.equal(nameOf(list, code), name, `${locale} ${code}`);
  }
});

test('an unknown locale answers in English', () => {
  assert.equal(listCountries('xx-yy'), listCountries('en'));
  assert.equal(nameOf(listCountries('klingon'), 'DE'), 'Germany');
  assert.deepEqual(listContinents('nope'), listContinents('en'));
});

test('EU countries: the 27 members, sorted by localised name', () => {
  const en = listEuCountries('en');
  assert.equal(en.total, 27);
  assert.deepEqual(en.countries[0], { name: 'Austria', code: 'AT' });
  assert.ok(en.countries.some((country) => country.code === 'HR'));
  assert.ok(!en.countries.some((country) => country.code === 'GB'));
  assert.ok(isSorted(en.countries.map((country) => country.name)));
  assert.deepEqual(listEuCountries('es').countries[0], { name: 'Alemania', code: 'DE' });
  assert.deepEqual(listEuCountries('fr').countries[0], { name: 'Allemagne', code: 'DE' });
  assert.equal(nameOf(listEuCountries('de'), 'DE'), 'Deutschland');
});

test('phones: 196, by numeric prefix, Canada first', () => {
  const { total, phones } = listCountryPhones('en');
  assert.equal(total, 196);
  assert.deepEqual(phones[0], { code: '+1', countryCode: 'CA', countryName: 'Canada' });
  assert.deepEqual(phones[1], { code: '+1', countryCode: 'US', countryName: 'United States' });
  assert.equal(phones[2]?.code, '+7');
  const prefixes = phones.map((phone) => Number(phone.code.slice(1)));
  assert.ok(prefixes.every((prefix, i) => i === 0 || (prefixes[i - 1] ?? 0) <= prefix));
  assert.equal(phones.find((phone) => phone.countryCode === 'DE')?.code, '+49');
  assert.equal(listCountryPhones('de').phones.find((phone) => phone.countryCode === 'DE')?.countryName, 'Deutschland');
});

test('continents: 7, sorted by localised name', () => {
  const en = listContinents('en');
  assert.equal(en.total, 7);
  assert.deepEqual(
    en.continents.map((continent) => continent.code),
    ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'],
  );
  assert.deepEqual(en.continents[0], { name: 'Africa', code: 'AF' });
  assert.deepEqual(listContinents('es').continents[0], { name: 'América del Norte', code: 'NA' });
  const de = Object.fromEntries(listContinents('de').continents.map((c) => [c.code, c.name]));
  assert.equal(de['EU'], 'Europa');
  assert.equal(de['NA'], 'Nordamerika');
  const fr = Object.fromEntries(listContinents('fr').continents.map((c) => [c.code, c.name]));
  assert.equal(fr['SA'], 'Amérique du Sud');
});

test('currencies: 117 in Appwrite order with symbols and digits', () => {
  const { total, currencies } = listCurrencies();
  assert.equal(total, 117);
  assert.deepEqual(currencies[0], {
    symbol: '$',
    name: 'US Dollar',
    symbolNative: '$',
    decimalDigits: 2,
    rounding: 0,
    code: 'USD',
    namePlural: 'US dollars',
  });
  const byCode = new Map(currencies.map((currency) => [currency.code, currency]));
  assert.equal(byCode.get('EUR')?.symbol, '€');
  assert.equal(byCode.get('EUR')?.decimalDigits, 2);
  assert.equal(byCode.get('JPY')?.decimalDigits, 0);
  assert.equal(byCode.get('CHF')?.rounding, 0.05);
  assert.equal(byCode.size, 117);
  assert.equal(listCurrencies('de'), listCurrencies('en')); // not translated
});

test('languages: 186 from Afar to Zulu', () => {
  const { total, languages } = listLanguages();
  assert.equal(total, 186);
  assert.deepEqual(languages[0], { name: 'Afar', code: 'aa', nativeName: 'Afar' });
  assert.deepEqual(languages[185], { name: 'Zulu', code: 'zu', nativeName: 'isiZulu' });
  assert.equal(languages.find((language) => language.code === 'de')?.nativeName, 'Deutsch');
});

test('locale codes: 131, every one resolves to itself', () => {
  const { total, localeCodes } = listLocaleCodes();
  assert.equal(total, 131);
  assert.deepEqual(localeCodes[0], { code: 'af', name: 'Afrikaans' });
  for (const { code } of localeCodes) assert.equal(resolveLocale(code), code);
});

test('an IP that cannot be located gives the unknown model', () => {
  assert.deepEqual(describeIp('127.0.0.1', 'en'), {
    ip: '127.0.0.1',
    countryCode: '--',
    country: 'Unknown',
    continentCode: '--',
    continent: 'Unknown',
    eu: false,
    currency: '',
  });
  assert.equal(describeIp('::1', 'de').country, 'Unbekannt');
  assert.equal(describeIp('10.0.0.1', 'fr').continent, 'Inconnu');
  assert.equal(describeIp('192.168.1.1', 'es').country, 'Desconocido');
  assert.equal(describeIp('8.8.8.8', 'xx').country, 'Unknown');
  assert.deepEqual(Object.keys(describeIp('1.2.3.4', 'en')), [
    'ip', 'countryCode', 'country', 'continentCode', 'continent', 'eu', 'currency',
  ]);
});

test('a located IP is named in the locale, with Appwrite currency rules', () => {
  const lookup = (ip: string) =>
    ip === '1.1.1.1' ? { countryCode: 'US', continentCode: 'NA' } : { countryCode: 'DE', continentCode: 'EU' };
  assert.deepEqual(describeIp('1.1.1.1', 'de', lookup), {
    ip: '1.1.1.1',
    countryCode: 'US',
    country: 'Vereinigte Staaten',
    continentCode: 'NA',
    continent: 'Nordamerika',
    eu: false,
    currency: 'USD',
  });
  const germany = describeIp('2.2.2.2', 'en', lookup);
  assert.equal(germany.country, 'Germany');
  assert.equal(germany.eu, true);
  assert.equal(germany.currency, ''); // Appwrite maps only US, IL, IN and PL to a currency
});

test('lists are memoised and frozen', () => {
  assert.equal(listCountries('de'), listCountries('de'));
  assert.equal(listCountries('DE'), listCountries('de'));
  assert.ok(Object.isFrozen(listCountries('de').countries[0]));
  assert.throws(() => {
    (listCountries('fr').countries as unknown[]).push({});
  });
});

test('compareCodePoints orders like UTF-8 bytes', () => {
  assert.ok(compareCodePoints('A', 'a') < 0);
  assert.ok(compareCodePoints('Z', 'Á') < 0);
  assert.ok(compareCodePoints('\uFF21', '\u{1F600}') < 0); // astral after U+FFxx
  assert.ok(compareCodePoints('ab', 'abc') < 0);
  assert.equal(compareCodePoints('same', 'same'), 0);
});

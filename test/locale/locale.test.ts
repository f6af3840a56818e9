import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppwriteException, Locale } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

describe('Locale through node-appwrite', () => {
  let server: TestServer;
  let locale: Locale;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('locale-app');
    locale = new Locale(sdkClient(server, 'locale-app'));
  });
  after(() => server.stop());

  it('lists countries in English, sorted by name', async () => {
    const { total, countries } = await locale.listCountries();
    assert.equal(total, countries.length);
    assert.ok(total > 190);
    assert.deepEqual({ ...countries.find((c) => c.code === 'DE') }, { name: 'Germany', code: 'DE' });
    const names = countries.map((c) => c.name);
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('answers in the language of X-Appwrite-Locale', async () => {
    const expected = { de: 'Deutschland', fr: 'Allemagne', es: 'Alemania', en: 'Germany' };
    for (const [language, germany] of Object.entries(expected)) {
      const client = sdkClient(server, 'locale-app').setLocale(language);
      const { countries } = await new Locale(client).listCountries();
      assert.equal(countries.find((c) => c.code === 'DE')?.name, germany, language);
    }
  });

  it('falls back to English for an unknown locale', async () => {
    const client = sdkClient(server, 'locale-app').setLocale('xx-nope');
    const { continents } = await new Locale(client).listContinents();
    assert.ok(continents.some((c) => c.code === 'EU' && c.name === 'Europe'));
  });

  it('lists the 27 EU members', async () => {
    const { total, countries } = await locale.listCountriesEU();
    assert.equal(total, 27);
    assert.ok(countries.some((c) => c.code === 'FR'));
    assert.ok(!countries.some((c) => c.code === 'GB'));
  });

  it('lists phone codes, continents, currencies, languages and locale codes', async () => {
    const phones = await locale.listCountriesPhones();
    assert.deepEqual({ ...phones.phones.find((p) => p.countryCode === 'US') }, { code: '+1', countryCode: 'US', countryName: 'United States' });

    const continents = await locale.listContinents();
    assert.equal(continents.total, 7);

    const currencies = await locale.listCurrencies();
    const euro = currencies.currencies.find((c) => c.code === 'EUR');
    assert.equal(euro?.symbol, '€');
    assert.equal(euro?.decimalDigits, 2);
    assert.equal(currencies.currencies.find((c) => c.code === 'JPY')?.decimalDigits, 0);

    const languages = await locale.listLanguages();
    assert.deepEqual({ ...languages.languages.find((l) => l.code === 'de') }, { name: 'German', code: 'de', nativeName: 'Deutsch' });

    const codes = await locale.listCodes();
    assert.ok(codes.localeCodes.some((c) => c.code === 'en-us'));
  });

  it("describes the caller's location, unknown for a loopback address", async () => {
    const here = await locale.get();
    assert.equal(here.ip, '127.0.0.1');
    assert.equal(here.countryCode, '--');
    assert.equal(here.continentCode, '--');
    assert.equal(here.eu, false);
  });

  it('refuses a key without the locale.read scope', async () => {
    const key = await server.createKey('locale-app', 'health.read');
    const client = sdkClient(server, 'locale-app', key);
    await assert.rejects(new Locale(client).listCountries(), (error: AppwriteException) => {
      assert.equal(error.code, 401);
      assert.equal(error.type, 'general_unauthorized_scope');
      return true;
    });
  });

  it('answers a key that holds locale.read', async () => {
    const key = await server.createKey('locale-app', 'locale.read');
    const { total } = await new Locale(sdkClient(server, 'locale-app', key)).listContinents();
    assert.equal(total, 7);
  });
});

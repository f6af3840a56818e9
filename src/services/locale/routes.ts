import type { FastifyPluginAsync } from 'fastify';
import type { ServiceDeps } from '../deps.js';
import {
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

const read = { config: { scope: 'locale.read' } };

export function localeRoutes(_deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/locale', read, async (request) => describeIp(request.ip, resolveLocale(request.ctx.locale)));
    app.get('/locale/codes', read, async () => listLocaleCodes());
    app.get('/locale/continents', read, async (request) => listContinents(resolveLocale(request.ctx.locale)));
    app.get('/locale/countries', read, async (request) => listCountries(resolveLocale(request.ctx.locale)));
    app.get('/locale/countries/eu', read, async (request) => listEuCountries(resolveLocale(request.ctx.locale)));
    app.get('/locale/countries/phones', read, async (request) => listCountryPhones(resolveLocale(request.ctx.locale)));
    app.get('/locale/currencies', read, async () => listCurrencies());
    app.get('/locale/languages', read, async () => listLanguages());
  };
}

import type { FastifyReply } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
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

const read = { config: { scope: 'locale.read', withoutProject: true } };

/** The lists are built once per locale and frozen, so their JSON can be built once too. */
const serialized = new WeakMap<object, string>();

function sendList(reply: FastifyReply, list: object): FastifyReply {
  let json = serialized.get(list);
  if (json === undefined) {
    json = JSON.stringify(list);
    serialized.set(list, json);
  }
  return reply.type('application/json; charset=utf-8').send(json);
}

export function localeRoutes(_deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/locale', read, async (request) => describeIp(request.ip, resolveLocale(request.ctx.locale)));
    app.get('/locale/codes', read, async (_request, reply) => sendList(reply, listLocaleCodes()));
    app.get('/locale/continents', read, async (request, reply) => sendList(reply, listContinents(resolveLocale(request.ctx.locale))));
    app.get('/locale/countries', read, async (request, reply) => sendList(reply, listCountries(resolveLocale(request.ctx.locale))));
    app.get('/locale/countries/eu', read, async (request, reply) => sendList(reply, listEuCountries(resolveLocale(request.ctx.locale))));
    app.get('/locale/countries/phones', read, async (request, reply) =>
      sendList(reply, listCountryPhones(resolveLocale(request.ctx.locale))),
    );
    app.get('/locale/currencies', read, async (_request, reply) => sendList(reply, listCurrencies()));
    app.get('/locale/languages', read, async (_request, reply) => sendList(reply, listLanguages()));
  };
}

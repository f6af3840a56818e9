import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import qs from 'qs';

/** As query strings: PHP-style brackets (`permissions[]=…`, `data[name]=…`), 100 items an array. */
const FORM_PARSE = { arrayLimit: 100, depth: 5, parameterLimit: 1000 } as const;

/** Reads `key[a][]=…` pairs into nested parameters, as PHP reads a form. */
export function parseFormPairs(text: string): Record<string, unknown> {
  return qs.parse(text, FORM_PARSE);
}

/**
 * Every route takes its parameters as a form too, URL-encoded or multipart, as Appwrite's
 * router does. Routes that stream a multipart body themselves (uploads) declare no body
 * schema: their stream is left to them, with the limits they pass to `request.parts()`.
 */
export function acceptFormBodies(app: FastifyInstance, fieldLimit: number): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: fieldLimit }, (_request, body, done) => {
    done(null, parseFormPairs(body.toString()));
  });
  void app.register(multipart, { limits: { fieldSize: fieldLimit, fields: 1000 } });
  app.addHook('preValidation', async (request) => {
    if (!request.isMultipart() || request.routeOptions.schema?.body === undefined) return;
    request.body = await readMultipartFields(request);
  });
}

/** The fields of a multipart body as parameters; files sent to a route that takes none are dropped. */
async function readMultipartFields(request: FastifyRequest): Promise<Record<string, unknown>> {
  const pairs: string[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      part.file.resume();
      continue;
    }
    pairs.push(`${encodeURIComponent(part.fieldname)}=${encodeURIComponent(String(part.value))}`);
  }
  return parseFormPairs(pairs.join('&'));
}

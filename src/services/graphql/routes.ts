import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/typed-routes.js';
import type { GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { ServiceDeps } from '../deps.js';
import type { OuterRequest, SentAnswer } from './dispatch.js';
import { DocumentCache } from './document-cache.js';
import { batchOf, parseJsonObject, placeFiles, UploadedFile } from './requests.js';
import { DEFAULT_GRAPHQL_SETTINGS } from './settings.js';

type Engine = typeof import('./engine.js');
let engineLoad: Promise<Engine> | undefined;
/** One import for the process: each `import()` call goes through the module loader again. */
const loadEngine = (): Promise<Engine> => (engineLoad ??= import('./engine.js'));

/**
 * No abuse limit of its own: as in Appwrite, each field's route counts against its own limit,
 * called with the caller's address.
 */
const config = { scope: 'graphql' };

/** A GraphQL upload goes to its route in one request: one upload chunk at most, a few files. */
const UPLOAD_PARTS = { limits: { fileSize: 5 * 1024 * 1024, files: 10, fields: 10 }, throwFileSizeLimit: true };

const getQuery = z.object({
  query: z.string().default(''),
  operationName: z.string().max(256).optional(),
  variables: z.string().optional(),
});

/** `POST /v1/graphql`, `POST /v1/graphql/mutation` and `GET /v1/graphql`, answered through the API's own routes. */
export function graphqlRoutes(deps: ServiceDeps): RoutePlugin {
  const settings = deps.graphql ?? DEFAULT_GRAPHQL_SETTINGS;
  return async (app) => {
    let schema: GraphQLSchema | undefined;
    const documents = new DocumentCache();
    // Built on first use, when every service has mounted its routes: the fields are the routes there are.
    const schemaOf = (engine: Engine): GraphQLSchema =>
      (schema ??= engine.buildGraphqlSchema((method, path) => app.findRoute({ method: method as 'GET', url: `/v1${path}` }) !== null));

    app.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_request, body, done) => done(null, { query: body }));

    const answer = async (request: FastifyRequest, reply: FastifyReply, payload: unknown, readOnly: boolean) => {
      const requests = batchOf(payload, settings.maxBatch);
      const engine = await loadEngine();
      const sent: { answer?: SentAnswer } = {};
      const context = { call: callerOf(app, request, reply, engine, sent) };
      try {
        const result = await engine.runBatch(schemaOf(engine), requests, settings, context, readOnly, documents);
        // As Appwrite: a route that sent its answer itself (no content, a file) answers for the whole request.
        if (sent.answer) return reply.code(sent.answer.statusCode).headers(sent.answer.headers).send(sent.answer.body);
        return reply.code(200).send(result);
      } catch (error) {
        if (error instanceof AppError && error.type === 'graphql_method_unsupported') reply.header('Allow', 'POST');
        throw error;
      }
    };

    app.get('/graphql', { config, schema: { querystring: getQuery } }, async (request, reply) => {
      const { query, operationName, variables } = request.query;
      return answer(request, reply, { query, operationName, variables: variables === undefined ? undefined : parseJsonObject(variables, 'variables') }, true);
    });
    for (const path of ['/graphql', '/graphql/mutation']) {
      app.post(path, { config }, async (request, reply) => answer(request, reply, await postedPayload(request), false));
    }
  };
}

/** What a POST carries: JSON (the SDKs wrap it in `query`), a raw `application/graphql` query, or a multipart upload. */
async function postedPayload(request: FastifyRequest): Promise<unknown> {
  if (request.isMultipart()) return multipartPayload(request);
  const body = request.body;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  // As Appwrite's parameters: the query string's, then the body's.
  const params = isObject ? { ...(request.query as object), ...body } : body;
  if (request.headers['x-sdk-graphql'] === 'true' && isObject) return (params as Record<string, unknown>).query;
  return params;
}

async function multipartPayload(request: FastifyRequest): Promise<unknown> {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  try {
    for await (const part of request.parts(UPLOAD_PARTS)) {
      if (part.type === 'file') files.set(part.fieldname, new UploadedFile(part.filename, part.mimetype, await part.toBuffer()));
      else fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('storage_invalid_file_size');
    throw error;
  }
  const operations = parseJsonObject(fields.operations ?? '', 'operations');
  if (operations === undefined) throw new AppError('graphql_no_query');
  return placeFiles(operations, parseJsonObject(fields.map ?? '{}', 'map'), files);
}

/** Resolvers call routes as the request's caller; the cookies a route sets (a new session) reach the client. */
function callerOf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, engine: Engine, sent: { answer?: SentAnswer }) {
  const outer: OuterRequest = {
    context: request.ctx,
    headers: engine.callerHeaders(request.headers),
    remoteAddress: request.raw.socket?.remoteAddress,
    keepCookies(setCookie, fallback) {
      const current = reply.getHeader('set-cookie');
      const kept = current === undefined ? [] : [current].flat().map(String);
      if (setCookie.length > 0) reply.header('set-cookie', [...kept, ...setCookie]);
      if (fallback !== undefined) reply.header('X-Fallback-Cookies', fallback);
    },
    // The first such answer is the one sent, as in Appwrite, where it went out before the others.
    keepSentAnswer(answer) {
      sent.answer ??= answer;
    },
  };
  return (operation: Parameters<Engine['callRoute']>[2], args: Record<string, unknown>) => engine.callRoute(app, outer, operation, args);
}

import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import qs from 'qs';
import type { CatalogueOperation } from './catalogue.js';
import type { RequestContext } from '../../http/context.js';
import { sendInProcess } from '../../http/in-process-requests.js';
import { sendAsCaller } from '../../http/inner-requests.js';
import { UploadedFile } from './requests.js';

/** The GraphQL request whose fields call routes: whom they act as, and where their cookies go. */
export interface OuterRequest {
  /** The GraphQL request's resolved caller, which every route call acts as. */
  context: RequestContext;
  /** The request's headers that describe the caller (see `callerHeaders`), sent with each route call. */
  headers: OutgoingHttpHeaders;
  remoteAddress: string | undefined;
  /** Receives the cookies a route sets (a session), for the GraphQL response. */
  keepCookies(setCookie: string[], fallback: string | undefined): void;
  /** Receives a route's answer that has no JSON (see `isSentAsIs`): the GraphQL request answers with it. */
  keepSentAnswer(answer: SentAnswer): void;
}

/** A route's answer passed on as the GraphQL request's own: its status, the headers that describe its body, the body. */
export interface SentAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The headers of a passed-on answer that belong to its body; the rest are the GraphQL request's own. */
const SENT_HEADERS = ['content-type', 'content-disposition', 'content-range', 'accept-ranges', 'cache-control', 'expires', 'location', 'etag', 'last-modified'];

/** The caller's headers that describe the body, not the caller: each route call sends its own. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'content-encoding', 'expect', 'connection', 'x-sdk-graphql']);

/** The GraphQL request's headers every route call carries, picked once for all its fields. */
export function callerHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!BODY_HEADERS.has(name) && value !== undefined) kept[name] = value;
  return kept;
}

/**
 * Calls the route behind a GraphQL field through the server's own request pipeline, as the
 * GraphQL request's caller (resolved once, for every field): scopes, switches, abuse limits,
 * validation and errors are the route's own. A route's error becomes the field's error.
 */
export async function callRoute(app: FastifyInstance, outer: OuterRequest, operation: CatalogueOperation, args: Record<string, unknown>): Promise<unknown> {
  const [, method, path, params] = operation;
  const rest: Record<string, unknown> = {};
  const inPath = new Set<string>();
  for (const [name, where] of params) if (where === 'p') inPath.add(name);
  for (const [name, value] of Object.entries(args)) if (!inPath.has(name) && value !== undefined) rest[name] = value;
  const url = `/v1${path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(String(args[name] ?? '')))}`;

  // As Appwrite's resolvers mark theirs: a presence set through GraphQL says so in its `source`.
  const headers: OutgoingHttpHeaders = { ...outer.headers, 'x-appwrite-source': 'graphql' };
  let payload: string | Buffer | undefined;
  let query = '';
  if (method === 'GET') {
    if (Object.keys(rest).length > 0) query = qs.stringify(withoutNulls(rest), { arrayFormat: 'indices', encodeValuesOnly: true });
  } else if (Object.values(rest).some((value) => value instanceof UploadedFile)) {
    const form = multipartBody(rest);
    payload = form.body;
    headers['content-type'] = form.contentType;
  } else {
    payload = JSON.stringify(rest);
    headers['content-type'] = 'application/json';
  }

  const response = await sendAsCaller(outer.context, (asCaller) =>
    sendInProcess(app, {
      method,
      url: query === '' ? url : `${url}?${query}`,
      headers: { ...(headers as Record<string, string>), ...asCaller },
      ...(payload === undefined ? {} : { payload }),
      ...(outer.remoteAddress ? { remoteAddress: outer.remoteAddress } : {}),
    }),
  );
  const setCookie = response.headers['set-cookie'];
  const fallback = response.headers['x-fallback-cookies'];
  if (setCookie !== undefined || fallback !== undefined) {
    outer.keepCookies(setCookie === undefined ? [] : [setCookie].flat(), typeof fallback === 'string' ? fallback : undefined);
  }
  const contentType = String(response.headers['content-type'] ?? '');
  const isJson = contentType.startsWith('application/json');
  const body: unknown = isJson && response.body !== '' ? JSON.parse(response.body) : {};
  if (response.statusCode >= 400) throw routeError(body, response.statusCode);
  if (isSentAsIs(response.statusCode, contentType, isJson)) {
    const headers: Record<string, string> = {};
    for (const name of SENT_HEADERS) if (response.headers[name] !== undefined) headers[name] = String(response.headers[name]);
    outer.keepSentAnswer({ statusCode: response.statusCode, headers, body: response.bytes });
    return null;
  }
  return body;
}

/**
 * Appwrite's routes send some answers themselves, past GraphQL (no content, a redirect, a file or
 * an image), and its GraphQL endpoint then answers with that instead of a GraphQL result.
 */
function isSentAsIs(status: number, contentType: string, isJson: boolean): boolean {
  return status === 204 || (status >= 300 && status < 400) || (contentType !== '' && !isJson);
}

function routeError(body: unknown, status: number): GraphQLError {
  const error = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; type?: unknown; code?: unknown };
  const message = typeof error.message === 'string' ? error.message : 'Server Error';
  return new GraphQLError(message, { extensions: { code: typeof error.code === 'number' ? error.code : status, type: error.type ?? 'general_unknown' } });
}

/** Query strings have no null: an argument given as null is left out, as the route's default. */
function withoutNulls(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
}

/** A multipart form of the arguments, fields before files: upload routes read the file's ID first. */
function multipartBody(values: Record<string, unknown>): { body: Buffer; contentType: string } {
  const boundary = `----plinth-graphql-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`));
  const files: [string, UploadedFile][] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === null) continue;
    if (value instanceof UploadedFile) files.push([name, value]);
    else if (Array.isArray(value)) value.forEach((item, index) => field(`${name}[${index}]`, formValue(item)));
    else field(name, formValue(value));
  }
  for (const [name, file] of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"; filename="${quoted(file.filename)}"\r\nContent-Type: ${file.mimetype.replace(/[\r\n]/g, '')}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function formValue(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function quoted(text: string): string {
  return text.replace(/["\r\n\\]/g, '_');
}

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PrivateAddressError, publicOnlyConnection } from '../net/public-address.js';

export interface GuardedFetchOptions {
  /** PLINTH_ALLOW_PRIVATE_URLS: the operator lets user-given URLs reach private addresses. */
  allowPrivate: boolean;
  /** The body is refused past this many bytes, whatever Content-Length says. */
  maxBytes: number;
  /** For the whole exchange: connecting, waiting and reading the body. */
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Followed only while each hop passes the same checks; 0 answers the redirect itself. */
  maxRedirects?: number;
}

export interface FetchedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

export type OutboundFailure = 'refused' | 'too_large' | 'unreachable';

/** Why a user-given URL was not fetched: a private address, a body over the limit, or no answer. */
export class OutboundError extends Error {
  constructor(readonly reason: OutboundFailure, message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

/**
 * GET of a user-given http(s) URL. The address is checked inside the socket's own DNS lookup, so
 * the connection goes to the address that was checked: a name that resolves to a public address
 * for the check and a private one for the connection (DNS rebinding) cannot slip through.
 */
export async function guardedFetch(url: string, options: GuardedFetchOptions): Promise<FetchedResponse> {
  let current = parseHttpUrl(url);
  const deadline = Date.now() + options.timeoutMs;
  for (let hop = 0; ; hop++) {
    const response = await fetchOnce(current, options, deadline);
    const location = response.headers.location;
    const redirected = response.status >= 300 && response.status < 400 && typeof location === 'string' && location !== '';
    if (!redirected || hop >= (options.maxRedirects ?? 0)) return response;
    current = parseHttpUrl(new URL(location, current).toString());
  }
}

function parseHttpUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OutboundError('refused', 'Invalid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('refused', 'Only http and https URLs are fetched');
  return url;
}

function fetchOnce(url: URL, options: GuardedFetchOptions, deadline: number): Promise<FetchedResponse> {
  const { refused, lookup } = publicOnlyConnection(url, options.allowPrivate);
  if (refused !== undefined) return Promise.reject(new OutboundError('refused', `${refused} is a private address`));
  const remaining = deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new OutboundError('unreachable', 'Timed out'));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: 'GET', headers: options.headers, ...(lookup ? { lookup } : {}), timeout: remaining });
    const timer = setTimeout(() => request.destroy(new OutboundError('unreachable', 'Timed out')), remaining);
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (error instanceof OutboundError) return reject(error);
      reject(new OutboundError(error instanceof PrivateAddressError ? 'refused' : 'unreachable', error.message));
    };
    request.on('error', fail);
    request.on('timeout', () => request.destroy(new OutboundError('unreachable', 'Timed out')));
    request.on('response', (response) => {
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > options.maxBytes) {
        response.destroy();
        request.destroy();
        return fail(new OutboundError('too_large', 'The response is too large'));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          response.destroy();
          request.destroy();
          return fail(new OutboundError('too_large', 'The response is too large'));
        }
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), url: url.toString() });
      });
    });
    request.end();
  });
}

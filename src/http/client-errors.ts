import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, toErrorBody } from '../core/errors.js';

/** Longer request targets are refused with 414; proxies commonly stop at the same 8 KB. */
export const MAX_URL_LENGTH = 8192;

/**
 * Answers what Node refuses before Fastify sees a request (a head sent too slowly, too large
 * or malformed) with Appwrite's error JSON, then closes the connection as Node would.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node itself: only on a connection that has not answered anything yet, so no answer is cut into.
  if (socket.writable && socket.bytesWritten === 0) {
    const appError = clientErrorOf(error.code);
    const body = JSON.stringify(toErrorBody(appError));
    socket.write(
      `HTTP/1.1 ${appError.code} ${STATUS_CODES[appError.code]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function clientErrorOf(code: string | undefined): AppError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('general_bad_request', 'The request was not received in time.', { status: 408 });
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('general_bad_request', 'The request headers are larger than the server accepts.', { status: 431 });
    default:
      return new AppError('general_bad_request', 'The request is not valid HTTP.');
  }
}

/** Errors of Fastify's router: a URL it cannot decode, a path parameter over its length. */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('general_argument_invalid', 'A path parameter is longer than the server accepts.')
      : new AppError('general_bad_request', 'The request URL is malformed.');
  void reply.code(appError.code).send(toErrorBody(appError));
}

/** Fails a request whose target is longer than the limit. */
export function assertUrlLength(url: string): void {
  if (url.length > MAX_URL_LENGTH) {
    throw new AppError('general_bad_request', `The request URL is longer than the ${MAX_URL_LENGTH} characters allowed.`, { status: 414 });
  }
}

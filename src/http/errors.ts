import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, toErrorBody } from '../core/errors.js';

/** Turns anything a request throws into Appwrite's error JSON; internals never reach the caller. */
export function installErrorHandlers(app: FastifyInstance, limits: BodyLimits): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = toAppError(error, limits);
    if (appError.code >= 500) request.log.error({ err: error }, 'request failed');
    void reply.code(appError.code).send(toErrorBody(appError));
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(toErrorBody(new AppError('general_route_not_found')));
  });
}

/** In bytes: JSON bodies have a limit of their own, below that of uploads. */
export interface BodyLimits {
  bodyLimit: number;
  jsonBodyLimit: number;
}

function toAppError(error: FastifyError | AppError, limits: BodyLimits): AppError {
  if (error instanceof AppError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(
        'general_bad_request',
        `The request body is too large: JSON bodies may hold up to ${limits.jsonBodyLimit} bytes, other bodies up to ${limits.bodyLimit}.`,
        { status: 413 },
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('general_bad_request', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('general_bad_request', 'The request body has a content type this server does not accept.');
  }
  if (error instanceof SyntaxError) return new AppError('general_bad_request', 'The request body is not valid JSON.');
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError('general_bad_request', error.message, { status });
  }
  return new AppError('general_unknown', 'Server Error');
}

import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { z, ZodType } from 'zod';

/**
 * Route schemas are zod schemas (see `zodValidatorCompiler`), so a route's schema is its type:
 * `request.params`, `query`, `body` and `headers` are what the schema's parse hands the handler.
 * Types only; the validator compiler does the parsing.
 */
export interface ZodTypeProvider extends FastifyTypeProvider {
  readonly validator: this['schema'] extends ZodType ? z.output<this['schema']> : unknown;
  readonly serializer: this['schema'] extends ZodType ? z.input<this['schema']> : unknown;
}

/** The instance services mount their routes on. */
export type RouteApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** A service's routes, mounted under `/v1`. */
export type RoutePlugin = FastifyPluginAsync<FastifyPluginOptions, RawServerDefault, ZodTypeProvider>;

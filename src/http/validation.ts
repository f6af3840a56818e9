import type { FastifySchemaCompiler } from 'fastify';
import type { ZodError, ZodType } from 'zod';
import { AppError } from '../core/errors.js';
import { coerceParams } from './param-coercion.js';

/**
 * Route schemas are zod schemas: they validate at the edge and hand handlers typed input.
 * Input the schema refuses as sent is read again as Appwrite's validators read it (strings
 * for scalars, `null` for absent) before it is refused: the well-formed path pays nothing.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema }) => {
  return (data: unknown) => {
    const input = parameterSet(data);
    const result = schema.safeParse(input);
    if (result.success) return { value: result.data };
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return { error: toArgumentError(result.error, input) };
    const coerced = coerceParams(schema, input as Record<string, unknown>);
    const retried = schema.safeParse(coerced);
    return retried.success ? { value: retried.data } : { error: toArgumentError(retried.error, coerced) };
  };
};

/** No body, and the `[]` PHP sends for a call without parameters, are an empty parameter set. */
function parameterSet(data: unknown): unknown {
  if (data === undefined || data === null) return {};
  if (Array.isArray(data) && data.length === 0) return {};
  return data;
}

/** Names the first bad parameter the way Appwrite does: missing, or invalid and why. */
export function toArgumentError(error: ZodError, input: unknown): AppError {
  const issue = error.issues[0];
  const param = String(issue?.path[0] ?? 'body');
  const sent = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[param] : input;
  if (issue !== undefined && issue.path.length > 0 && sent === undefined) {
    return new AppError('general_argument_invalid', `Param "${param}" is not optional.`);
  }
  return new AppError('general_argument_invalid', `Invalid \`${param}\` param: ${issue?.message ?? 'invalid value'}`);
}

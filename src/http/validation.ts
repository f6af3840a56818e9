import type { FastifySchemaCompiler } from 'fastify';
import type { ZodError, ZodType } from 'zod';
import { AppError } from '../core/errors.js';

/** Route schemas are zod schemas: they validate at the edge and hand handlers typed input. */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema }) => {
  return (data: unknown) => {
    const input = data ?? {};
    const result = schema.safeParse(input);
    return result.success ? { value: result.data } : { error: toArgumentError(result.error, input) };
  };
};

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

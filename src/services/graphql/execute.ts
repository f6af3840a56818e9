import {
  execute,
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { AppError } from '../../core/errors.js';
import { maxComplexityRule, maxDepthRule } from './limits.js';
import type { GraphqlRequest } from './requests.js';
import type { GraphqlContext } from './schema.js';
import type { GraphqlSettings } from './settings.js';

/**
 * Runs the requests of one HTTP request side by side and answers as Appwrite does: one result,
 * or a list of results for two or more. `readOnly` (GET) refuses anything but queries.
 */
export async function runBatch(
  schema: GraphQLSchema,
  requests: GraphqlRequest[],
  settings: GraphqlSettings,
  context: GraphqlContext,
  readOnly: boolean,
): Promise<unknown> {
  const documents = requests.map((request) => parseRequest(request, readOnly));
  const results = await Promise.all(requests.map((request, index) => runOne(schema, request, documents[index]!, settings, context)));
  return results.length === 1 ? results[0] : results;
}

function parseRequest(request: GraphqlRequest, readOnly: boolean): DocumentNode | GraphQLError {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  if (readOnly) {
    const operation = getOperationAST(document, request.operationName);
    if (operation && operation.operation !== 'query') throw new AppError('graphql_method_unsupported');
  }
  return document;
}

async function runOne(
  schema: GraphQLSchema,
  request: GraphqlRequest,
  document: DocumentNode | GraphQLError,
  settings: GraphqlSettings,
  context: GraphqlContext,
): Promise<ExecutionResult> {
  if (document instanceof GraphQLError) return { errors: [document] };
  const errors = validate(schema, document, rulesFor(settings, request.variables));
  if (errors.length > 0) return { errors };
  return execute({
    schema,
    document,
    contextValue: context,
    ...(request.variables ? { variableValues: request.variables } : {}),
    ...(request.operationName ? { operationName: request.operationName } : {}),
  });
}

function rulesFor(settings: GraphqlSettings, variables: Record<string, unknown> | undefined): ValidationRule[] {
  const rules: ValidationRule[] = [...specifiedRules];
  if (!settings.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  if (settings.maxComplexity > 0) rules.push(maxComplexityRule(settings.maxComplexity, variables));
  if (settings.maxDepth > 0) rules.push(maxDepthRule(settings.maxDepth));
  return rules;
}

import {
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
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
import { complexityErrors, maxDepthRule } from './limits.js';
import type { CheckedDocument, DocumentCache } from './document-cache.js';
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
  cache: DocumentCache,
): Promise<unknown> {
  const checked = requests.map((request) => checkRequest(schema, request, settings, readOnly, cache));
  const results = await Promise.all(requests.map((request, index) => runOne(schema, request, checked[index]!, settings, context)));
  return results.length === 1 ? results[0] : results;
}

type Checked = CheckedDocument;

/** Parses and validates a query once per distinct text: apps send the same few queries over and over. */
function checkRequest(schema: GraphQLSchema, request: GraphqlRequest, settings: GraphqlSettings, readOnly: boolean, cache: DocumentCache): Checked {
  let checked = cache.get(request.query);
  if (!checked) {
    checked = parseAndValidate(schema, request.query, settings);
    cache.set(request.query, checked);
  }
  if (readOnly && checked.document) {
    const operation = getOperationAST(checked.document, request.operationName);
    if (operation && operation.operation !== 'query') throw new AppError('graphql_method_unsupported');
  }
  return checked;
}

function parseAndValidate(schema: GraphQLSchema, query: string, settings: GraphqlSettings): Checked {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return { document: undefined, errors: [error], depthErrors: [] };
    throw error;
  }
  const errors = validate(schema, document, standardRules(settings));
  const depthErrors = errors.length === 0 && settings.maxDepth > 0 ? validate(schema, document, [maxDepthRule(settings.maxDepth)]) : [];
  return { document, errors, depthErrors };
}

async function runOne(
  schema: GraphQLSchema,
  request: GraphqlRequest,
  checked: Checked,
  settings: GraphqlSettings,
  context: GraphqlContext,
): Promise<ExecutionResult> {
  const { document } = checked;
  if (!document || checked.errors.length > 0) return { errors: checked.errors };
  const errors = [...costErrorsOf(schema, checked, settings, request), ...checked.depthErrors];
  if (errors.length > 0) return { errors };
  return execute({
    schema,
    document,
    contextValue: context,
    ...(request.variables ? { variableValues: request.variables } : {}),
    ...(request.operationName ? { operationName: request.operationName } : {}),
  });
}

/** The cost depends on the variables (a page size may come in one): a query that declares none is counted once. */
function costErrorsOf(schema: GraphQLSchema, checked: Checked, settings: GraphqlSettings, request: GraphqlRequest): readonly GraphQLError[] {
  if (settings.maxComplexity <= 0 || !checked.document) return [];
  if (checked.costErrors) return checked.costErrors;
  const errors = complexityErrors(schema, checked.document, settings.maxComplexity, request.variables);
  if (!declaresVariables(checked.document)) checked.costErrors = errors;
  return errors;
}

function declaresVariables(document: DocumentNode): boolean {
  return document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && (definition.variableDefinitions?.length ?? 0) > 0);
}

function standardRules(settings: GraphqlSettings): readonly ValidationRule[] {
  return settings.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
}

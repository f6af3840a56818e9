import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type DocumentNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { FieldCostExtension } from './schema.js';

/** A page's size when its `queries` ask for none, as Appwrite's default list limit. */
const DEFAULT_PAGE_SIZE = 25;

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

function fragmentsOf(context: ValidationContext): Fragments {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Refuses an operation nested deeper than `max`: a field with a selection counts its level,
 * the top one being 0, as the depth rule Appwrite runs (webonyx's QueryDepth) counts.
 */
export function maxDepthRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition: {
      leave(operation) {
        const depth = selectionDepth(operation.selectionSet, 0, 0, fragmentsOf(context), new Set());
        if (depth > max) context.reportError(new GraphQLError(`Max query depth should be ${max} but got ${depth}.`));
      },
    },
  });
}

function selectionDepth(set: SelectionSetNode, depth: number, deepest: number, fragments: Fragments, seen: Set<string>): number {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.selectionSet) continue;
      deepest = selectionDepth(selection.selectionSet, depth + 1, Math.max(deepest, depth), fragments, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = selectionDepth(selection.selectionSet, depth, deepest, fragments, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment that spreads itself is reported by the standard rules; do not follow it round.
      if (!fragment || seen.has(name)) continue;
      deepest = selectionDepth(fragment.selectionSet, depth, deepest, fragments, new Set(seen).add(name));
    }
  }
  return deepest;
}

/**
 * The error for each operation of the document that costs more than `max`: a field costs one
 * plus its selection, and a field that lists (takes `queries`) its selection times the page size
 * it asks for. Counted for each request, without a validation pass: the variables may set the size.
 */
export function complexityErrors(schema: GraphQLSchema, document: DocumentNode, max: number, rawVariables: Record<string, unknown> | undefined): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const errors: GraphQLError[] = [];
  for (const operation of document.definitions) {
    if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
    const variables = coercedVariables(schema, operation, rawVariables);
    // Variables that do not fit are reported when the operation runs.
    if (!variables) continue;
    const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    if (!root) continue;
    const cost = new CostWalker(schema, fragments, variables).cost(operation.selectionSet, root, new Set());
    if (cost > max) errors.push(new GraphQLError(`Max query complexity should be ${max} but got ${cost}.`));
  }
  return errors;
}

function coercedVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, raw: Record<string, unknown> | undefined) {
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], raw ?? {});
  return result.errors ? undefined : result.coerced;
}

class CostWalker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Fragments,
    private readonly variables: Record<string, unknown>,
  ) {}

  cost(set: SelectionSetNode, parent: GraphQLCompositeType, seen: Set<string>): number {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = this.fieldOf(parent, selection.name.value);
        if (!field) continue;
        const child = getNamedType(field.type);
        const childCost = selection.selectionSet && isCompositeType(child) ? this.cost(selection.selectionSet, child, seen) : 0;
        total += (field.extensions as FieldCostExtension).listed
          ? childCost * pageSize(getArgumentValues(field, selection, this.variables).queries)
          : childCost + 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) total += this.cost(selection.selectionSet, type, seen);
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        const type = fragment ? this.schema.getType(fragment.typeCondition.name.value) : undefined;
        if (!fragment || seen.has(name) || !isCompositeType(type)) continue;
        total += this.cost(fragment.selectionSet, type, new Set(seen).add(name));
      }
    }
    return total;
  }

  private fieldOf(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (name === '__typename') return TypeNameMetaFieldDef;
    if (name === '__schema' && parent === this.schema.getQueryType()) return SchemaMetaFieldDef;
    if (name === '__type' && parent === this.schema.getQueryType()) return TypeMetaFieldDef;
    return 'getFields' in parent ? parent.getFields()[name] : undefined;
  }
}

/** The `limit` among a list's queries (SDK Query JSON strings), or the default page size. */
function pageSize(queries: unknown): number {
  if (!Array.isArray(queries)) return DEFAULT_PAGE_SIZE;
  for (const query of queries) {
    if (typeof query !== 'string') continue;
    try {
      const parsed = JSON.parse(query) as { method?: unknown; values?: unknown[] };
      const limit = parsed.values?.[0];
      if (parsed.method === 'limit' && typeof limit === 'number' && Number.isFinite(limit)) return limit;
    } catch {
      // A malformed query is the route's to report.
    }
  }
  return DEFAULT_PAGE_SIZE;
}

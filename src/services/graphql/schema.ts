import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  GraphQLUnionType,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import type { CatalogueOperation, FieldType, ParamType } from './catalogue.js';
import { MODELS, OPERATIONS } from './catalogue-data.js';
import { AssocScalar, InputFileScalar, JsonScalar } from './scalars.js';

/** What each resolver reaches the API through: the route of the field, called as the request's caller. */
export interface GraphqlContext {
  call(operation: CatalogueOperation, args: Record<string, unknown>): Promise<unknown>;
}

/** Marks the fields whose cost multiplies with the page size they ask for (routes taking `queries`). */
export interface FieldCostExtension {
  listed?: boolean;
}

const upperFirst = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** `$id` → `_id`: GraphQL names cannot hold `$`. */
export const graphqlName = (key: string): string => key.replace(/\$/g, '_');

/**
 * Appwrite's GraphQL schema for the routes this server mounts: a query field per GET route, a
 * mutation field per other route, named as the SDKs name the method, with the route's
 * parameters as arguments and its response model as type.
 */
export function buildGraphqlSchema(offered: (method: string, path: string) => boolean): GraphQLSchema {
  const types = new OutputTypes();
  const queries: Record<string, GraphQLFieldConfig<unknown, GraphqlContext>> = {};
  const mutations: Record<string, GraphQLFieldConfig<unknown, GraphqlContext>> = {};
  for (const operation of OPERATIONS) {
    const [name, method, path, args, model] = operation;
    if (!offered(method, path)) continue;
    const field: GraphQLFieldConfig<unknown, GraphqlContext> = {
      type: typeof model === 'string' ? types.model(model) : types.answer(model),
      args: argumentsOf(args),
      resolve: (_source, values: Record<string, unknown>, context) => context.call(operation, values),
      extensions: { listed: args.some(([arg]) => arg === 'queries') } satisfies FieldCostExtension,
    };
    (method === 'GET' ? queries : mutations)[name] = field;
  }
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: queries }),
    mutation: new GraphQLObjectType({ name: 'Mutation', fields: mutations }),
  });
}

function argumentsOf(args: CatalogueOperation[3]): GraphQLFieldConfigArgumentMap {
  const map: GraphQLFieldConfigArgumentMap = {};
  for (const [name, , type, required] of args) map[name] = { type: inputType(type, required === 1) };
  return map;
}

function inputType(type: ParamType, required: boolean): GraphQLInputType {
  let base: GraphQLInputType;
  if (Array.isArray(type)) base = new GraphQLList(inputType(type[0] as ParamType, required));
  else if (type === 'int') base = GraphQLInt;
  else if (type === 'float') base = GraphQLFloat;
  else if (type === 'bool') base = GraphQLBoolean;
  else if (type === 'json') base = JsonScalar;
  else if (type === 'assoc') base = AssocScalar;
  else if (type === 'file') base = InputFileScalar;
  else base = GraphQLString;
  return required ? new GraphQLNonNull(base) : base;
}

/** The response models as object types, each made once and named as Appwrite names it (`DocumentList`). */
class OutputTypes {
  private readonly made = new Map<string, GraphQLObjectType | GraphQLUnionType>();

  model(name: string): GraphQLObjectType {
    const typeName = upperFirst(name);
    const existing = this.made.get(typeName);
    if (existing) return existing as GraphQLObjectType;
    const model = MODELS[name];
    const type = new GraphQLObjectType<Record<string, unknown>>({
      name: typeName,
      fields: () => {
        const fields: Record<string, GraphQLFieldConfig<Record<string, unknown>, GraphqlContext>> = {};
        // Free-form keys travel as one JSON string, as in Appwrite.
        if (model?.additional) fields.data = { type: GraphQLString, description: 'Additional data', resolve: freeFormData };
        // GraphQL wants a field on every type; models without any (empty answers) say OK.
        if (!model || (!model.additional && Object.keys(model.fields).length === 0)) {
          fields.status = { type: GraphQLString, description: 'Status', resolve: () => 'OK' };
        }
        for (const [key, { type: fieldType }] of Object.entries(model?.fields ?? {})) {
          const field: GraphQLFieldConfig<Record<string, unknown>, GraphqlContext> = { type: this.output(fieldType, key, typeName) };
          if (key.includes('$')) field.resolve = (source) => source[key];
          fields[graphqlName(key)] = field;
        }
        return fields;
      },
    });
    this.made.set(typeName, type);
    return type;
  }

  /** A route answering one of several models: the union named for their family (`Attributes`), as its list's field. */
  answer(members: readonly string[]): GraphQLUnionType {
    const family = commonPrefix(members);
    return this.union(members, family.endsWith('y') ? `${family.slice(0, -1)}ies` : `${family}s`, 'Answer');
  }

  private output(type: FieldType, key: string, owner: string): GraphQLOutputType {
    if (type === 'string') return GraphQLString;
    if (type === 'int') return GraphQLInt;
    if (type === 'float') return GraphQLFloat;
    if (type === 'bool') return GraphQLBoolean;
    if (type === 'json') return JsonScalar;
    if ('model' in type) return this.model(type.model);
    if ('list' in type) return new GraphQLList(this.output(type.list, key, owner));
    return this.union(type.union, key, owner);
  }

  /** Named for its field (`Attributes`), as Appwrite; another set of members under that name takes its owner's too. */
  private union(members: readonly string[], key: string, owner: string): GraphQLUnionType {
    let name = upperFirst(graphqlName(key));
    const existing = this.made.get(name);
    if (existing instanceof GraphQLUnionType && sameMembers(existing, members)) return existing;
    if (existing) name = `${owner}${name}`;
    const known = this.made.get(name);
    if (known instanceof GraphQLUnionType) return known;
    const union: GraphQLUnionType = new GraphQLUnionType({
      name,
      types: () => members.map((member) => this.model(member)),
      resolveType: (value: Record<string, unknown>) => upperFirst(memberOf(members, value)),
    });
    this.made.set(name, union);
    return union;
  }
}

function sameMembers(union: GraphQLUnionType, members: readonly string[]): boolean {
  const names = union.getTypes().map((type) => type.name);
  return names.length === members.length && members.every((member) => names.includes(upperFirst(member)));
}

/** Attribute, column and hash types whose model is named otherwise. */
const MEMBER_NAMES: Readonly<Record<string, string>> = { double: 'float', linestring: 'line', scryptMod: 'scryptModified' };

/**
 * The member a value is, by the part of the member's name that differs (`attributeEmail` →
 * `email`): a string's `format` first, then its `type`, then its `$id` (policies, providers).
 */
function memberOf(members: readonly string[], value: Record<string, unknown>): string {
  const prefix = commonPrefix(members);
  const bySuffix = new Map(members.map((member) => [normalise(member.slice(prefix.length)), member]));
  const type = typeof value.type === 'string' ? value.type : '';
  const wanted = [
    type === 'string' && typeof value.format === 'string' ? value.format : '',
    MEMBER_NAMES[type] ?? type,
    typeof value.$id === 'string' ? value.$id : '',
  ];
  for (const name of wanted) {
    const member = name === '' ? undefined : bySuffix.get(normalise(name));
    if (member) return member;
  }
  return members[0] as string;
}

function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The keys that are not the model's own (`$id`, `$createdAt` …), as one JSON object. */
function freeFormData(source: Record<string, unknown>): string {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (!key.startsWith('$') && !key.startsWith('_')) data[key] = value;
  return JSON.stringify(data);
}

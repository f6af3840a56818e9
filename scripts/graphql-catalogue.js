// Writes src/services/graphql/catalogue-data.ts from Appwrite's OpenAPI files: the SDK name of each
// route (namespace + method), its parameters and response models, as Appwrite's GraphQL schema
// names them. Run by hand when the API version moves: node scripts/graphql-catalogue.js console.json server.json
import { readFileSync, writeFileSync } from 'node:fs';

const specs = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, 'utf8')));
if (specs.length === 0) throw new Error('usage: node scripts/graphql-catalogue.js <openapi.json>...');
// Appwrite leaves these out of its schema: the mock routes, GraphQL itself, OAuth redirects.
const skipped = ['/mock', '/graphql', '/account/sessions/oauth2'];
const schemas = Object.assign({}, ...specs.map((spec) => spec.components.schemas));
const operations = new Map();
const models = {};

const refName = (ref) => ref.split('/').pop();
// Free-form parameters Appwrite checks as key-value objects (its `Assoc` scalar); other objects are `Json`.
const assocParams = new Set(['prefs', 'headers']);
// Methods 1.9.6's SDKs name otherwise than the 1.9.3 specs: offered under both names.
const renamed = {
  presencesListPresences: 'presencesList',
  presencesGetPresence: 'presencesGet',
  presencesUpsertPresence: 'presencesUpsert',
  presencesUpdatePresence: 'presencesUpdate',
  presencesDeletePresence: 'presencesDelete',
};
// Arguments the 1.9.3 specs lack that 1.9.6 takes (createVariable's custom ID), optional as the routes take them.
const addedArgs = {
  functionsCreateVariable: [['variableId', 'b', 'string', 0]],
  sitesCreateVariable: [['variableId', 'b', 'string', 0]],
  projectCreateVariable: [['variableId', 'b', 'string', 0]],
};

function paramType(schema, name) {
  if (!schema) return 'string';
  if (assocParams.has(name) && schema.type === 'object') return 'assoc';
  if (schema.type === 'string' && schema.format === 'binary') return 'file';
  if (schema.type === 'array') return [paramType(schema.items)];
  if (schema.type === 'integer') return 'int';
  if (schema.type === 'number') return 'float';
  if (schema.type === 'boolean') return 'bool';
  if (schema.type === 'object' || schema.type === undefined) return 'json';
  return 'string';
}

function fieldType(schema) {
  if (schema.$ref) return { model: addModel(refName(schema.$ref)) };
  // One nested model (`prefs`, `hashOptions`) is written as an object whose `items` name it.
  if (schema.type === 'object' && schema.items) return fieldType(schema.items);
  const members = schema.anyOf ?? schema.oneOf;
  if (members) return { union: members.map((member) => addModel(refName(member.$ref))) };
  if (schema.type === 'array') return { list: fieldType(schema.items ?? {}) };
  if (schema.type === 'integer') return 'int';
  if (schema.type === 'number') return 'float';
  if (schema.type === 'boolean') return 'bool';
  if (schema.type === 'string') return 'string';
  return 'json';
}

function addModel(name) {
  if (models[name]) return name;
  const schema = schemas[name];
  if (!schema) throw new Error(`unknown model ${name}`);
  const model = { fields: {}, additional: schema.additionalProperties === true };
  models[name] = model;
  const required = new Set(schema.required ?? []);
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    model.fields[key] = { type: fieldType(property), ...(required.has(key) ? { required: true } : {}) };
  }
  return name;
}

function responseModels(responses) {
  const names = [];
  for (const response of Object.values(responses)) {
    const schema = Object.values(response.content ?? {})[0]?.schema;
    if (!schema) continue;
    if (schema.$ref) names.push(addModel(refName(schema.$ref)));
    for (const member of schema.oneOf ?? schema.anyOf ?? []) names.push(addModel(refName(member.$ref)));
  }
  return names.length > 0 ? names : ['none'];
}

for (const spec of specs) {
  for (const [path, methods] of Object.entries(spec.paths)) {
    if (skipped.some((prefix) => path.startsWith(prefix))) continue;
    for (const [method, operation] of Object.entries(methods)) {
      const bodySchema = Object.values(operation.requestBody?.content ?? {})[0]?.schema ?? {};
      const bodyRequired = new Set(bodySchema.required ?? []);
      const params = {};
      for (const parameter of operation.parameters ?? []) {
        params[parameter.name] = { in: parameter.in, type: paramType(parameter.schema, parameter.name), required: parameter.required === true, nullable: parameter.schema?.['x-nullable'] === true };
      }
      for (const [name, schema] of Object.entries(bodySchema.properties ?? {})) {
        params[name] = { in: 'body', type: paramType(schema, name), required: bodyRequired.has(name), nullable: schema['x-nullable'] === true };
      }
      const x = operation['x-appwrite'];
      const sdkMethods = x.methods ?? [{ name: x.method, namespace: operation.tags[0] }];
      for (const sdk of sdkMethods) {
        const name = `${sdk.namespace}${sdk.name[0].toUpperCase()}${sdk.name.slice(1)}`;
        const names = sdk.parameters ?? Object.keys(params);
        const required = sdk.required ? new Set(sdk.required) : undefined;
        const args = names.filter((arg) => params[arg]).map((arg) => {
          const { required: wasRequired, nullable, ...param } = params[arg];
          const isRequired = required ? required.has(arg) || param.in === 'path' : wasRequired;
          // A required parameter that takes null (an attribute's `default`) may be left out in GraphQL, as in Appwrite.
          return [arg, param.in[0], param.type, isRequired && !nullable ? 1 : 0];
        });
        args.push(...(addedArgs[name] ?? []).filter(([arg]) => !params[arg]));
        const returns = sdk.responses
          ? sdk.responses.flatMap((response) => (response.model ? [response.model].flat().map((ref) => addModel(refName(ref))) : ['none']))
          : responseModels(operation.responses);
        // A route answering one of several models (an attribute of any type) is a union of them.
        const members = [...new Set(returns)];
        const model = members.length > 1 ? members : returns[0] === 'none' && !models.none ? 'none' : returns[0];
        for (const field of [name, renamed[name]].filter(Boolean)) operations.set(field, [field, method.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1'), args, model]);
      }
    }
  }
}

// A union answer takes the members of the smallest model field's union holding all of its own
// (an attribute's answer, the union of a collection's `attributes`), newer types included.
const fieldUnions = [];
const collectUnions = (type) => {
  if (typeof type !== 'object') return;
  if (type.union) fieldUnions.push(type.union);
  if (type.list) collectUnions(type.list);
};
for (const model of Object.values(models)) for (const field of Object.values(model.fields)) collectUnions(field.type);
for (const operation of operations.values()) {
  const members = operation[4];
  if (!Array.isArray(members)) continue;
  const wider = fieldUnions.filter((union) => members.every((member) => union.includes(member))).sort((a, b) => a.length - b.length)[0];
  if (wider) operation[4] = wider;
}

const sorted = [...operations.values()].sort((a, b) => a[0].localeCompare(b[0]));
const out = `// Generated by scripts/graphql-catalogue.js from Appwrite 1.9's OpenAPI files; do not edit by hand.
import type { CatalogueModel, CatalogueOperation } from './catalogue.js';

/** [field name, HTTP method, route path, [argument, where (p path, q query, b body), type, required], response model]. */
export const OPERATIONS: readonly CatalogueOperation[] = ${JSON.stringify(sorted)};

export const MODELS: Readonly<Record<string, CatalogueModel>> = ${JSON.stringify(models)};
`;
writeFileSync(new URL('../src/services/graphql/catalogue-data.ts', import.meta.url), out);
console.log(`${sorted.length} operations, ${Object.keys(models).length} models`);

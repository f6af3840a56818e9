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

function paramType(schema) {
  if (!schema) return 'string';
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
  // What tells the members of a union apart, as Appwrite reads it: `type`, then `format`.
  const example = (key) => schema.properties?.[key]?.['x-example'];
  if (typeof example('type') === 'string') model.kind = example('type');
  if (typeof example('format') === 'string') model.format = example('format');
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
        params[parameter.name] = { in: parameter.in, type: paramType(parameter.schema), required: parameter.required === true };
      }
      for (const [name, schema] of Object.entries(bodySchema.properties ?? {})) {
        params[name] = { in: 'body', type: paramType(schema), required: bodyRequired.has(name) };
      }
      const x = operation['x-appwrite'];
      const sdkMethods = x.methods ?? [{ name: x.method, namespace: operation.tags[0] }];
      for (const sdk of sdkMethods) {
        const name = `${sdk.namespace}${sdk.name[0].toUpperCase()}${sdk.name.slice(1)}`;
        const names = sdk.parameters ?? Object.keys(params);
        const required = sdk.required ? new Set(sdk.required) : undefined;
        const args = names.filter((arg) => params[arg]).map((arg) => {
          const { required: wasRequired, ...param } = params[arg];
          const isRequired = required ? required.has(arg) || param.in === 'path' : wasRequired;
          return [arg, param.in[0], param.type, isRequired ? 1 : 0];
        });
        const returns = sdk.responses
          ? sdk.responses.flatMap((response) => (response.model ? [response.model].flat().map((ref) => addModel(refName(ref))) : ['none']))
          : responseModels(operation.responses);
        operations.set(name, [name, method.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1'), args, returns[0] === 'none' && !models.none ? 'none' : returns[0]]);
      }
    }
  }
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

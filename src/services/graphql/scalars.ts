import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** A value written in the query as JSON would be: objects, lists, strings, numbers, booleans. */
function literalValue(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalValue(field.value, variables)]));
    case Kind.LIST:
      return node.values.map((value) => literalValue(value, variables));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    default:
      return null;
  }
}

/** Free-form values (document data, preferences, `any` answers), as Appwrite's `Json` scalar. */
export const JsonScalar = new GraphQLScalarType({
  name: 'Json',
  description: 'A JSON value: an object, a list, a string, a number or a boolean.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalValue,
});

/** A key-value object (preferences, headers), as Appwrite's `Assoc` scalar: also taken as a JSON-encoded string. */
export const AssocScalar = new GraphQLScalarType({
  name: 'Assoc',
  description: 'A key-value object, or a string holding one in JSON.',
  serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parseValue: decodedObject,
  parseLiteral: (node, variables) => decodedObject(node.kind === Kind.STRING ? node.value : literalValue(node, variables)),
});

function decodedObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new GraphQLError('Assoc must be a key-value object or a JSON string holding one.');
  }
}

/** A file of a multipart request (the GraphQL multipart request spec); never written in the query itself. */
export const InputFileScalar = new GraphQLScalarType({
  name: 'InputFile',
  description: 'A file sent in the same multipart request, mapped to a variable by the request\'s `map` field.',
  serialize: () => '',
  parseValue: (value) => value,
  parseLiteral(node) {
    throw new GraphQLError(
      `\`InputFile\` cannot be hardcoded in query, be sure to conform to GraphQL multipart request specification. Instead got: ${node.kind}`,
      { nodes: node },
    );
  },
});

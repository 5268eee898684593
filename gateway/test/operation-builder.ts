import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Builds the smallest valid operation that selects one field, with placeholder arguments: used to
 * try every guarded field of the API against every permission level, so a field added later is
 * covered without anyone remembering to add a test.
 */
export function minimalSelection(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  if (isLeafType(named)) return '';
  if (isObjectType(named) || isInterfaceType(named)) {
    const leaf = Object.values(named.getFields()).find((f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type)));
    return `{ ${leaf ? leaf.name : '__typename'} }`;
  }
  if (isUnionType(named)) return '{ __typename }';
  return '';
}

export function placeholder(type: GraphQLInputType): string {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return `[${placeholder(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${placeholder(f.type)}`).join(', ')} }`;
  }
  switch (getNamedType(type).name) {
    case 'Int':
      return '1';
    case 'Float':
      return '1.5';
    case 'Boolean':
      return 'true';
    case 'ID':
      return '"00000000-0000-4000-8000-000000000000"';
    case 'Date':
      return '"2026-12-01"';
    case 'DateTime':
      return '"2026-12-01T00:00:00+09:00"';
    default:
      return '"x"';
  }
}

export function argumentList(args: readonly GraphQLArgument[]): string {
  const required = args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  return required.length ? `(${required.map((a) => `${a.name}: ${placeholder(a.type)}`).join(', ')})` : '';
}

/** `query { field(args) { leaf } }` for a root field. */
export function rootFieldOperation(schema: GraphQLSchema, kind: 'query' | 'mutation', fieldName: string): string {
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  const field = root!.getFields()[fieldName]!;
  return `${kind} { ${field.name}${argumentList(field.args)} ${minimalSelection(field)} }`;
}

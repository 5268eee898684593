import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  GraphQLSchema,
  buildASTSchema,
  execute,
  isInterfaceType,
  isObjectType,
  parse,
  printSchema,
  visit,
  type FieldDefinitionNode,
  type GraphQLFormattedError,
} from 'graphql';
import type { Identity, RequirementIndex } from '@portal/auth';
import type { GatewayContext } from './context.ts';

/**
 * Who sees which schema. Anonymous callers get no introspection (limits-plugin.ts refuses it) and
 * no "Did you mean …" suggestions; member accounts see the API without the back office (fields
 * named `operator*` or needing an `operator…` scope, and the types only they reach); operators see
 * everything. graphql 16 has no switch for suggestions, so they are edited in the one masking rule
 * (errors.ts) with `suggestionFilter`.
 */
export interface SchemaViews {
  /** The API schema without operator-only fields and the types only they reach. */
  memberSchema: GraphQLSchema;
  /** Type and field names a member may not learn of (present in the API, absent for members). */
  hiddenFromMembers: ReadonlySet<string>;
}

/** True for a field only a back-office session may use. */
export function isOperatorOnly(typeName: string, field: FieldDefinitionNode, index: RequirementIndex): boolean {
  if (field.name.value.startsWith('operator')) return true;
  const reqs = index.fields.get(`${typeName}.${field.name.value}`) ?? [];
  return reqs.some((r) => r.scopes !== null && r.scopes.length > 0 && r.scopes.every((all) => all.some((s) => s.startsWith('operator'))));
}

export function buildSchemaViews(apiSchema: GraphQLSchema, index: RequirementIndex): SchemaViews {
  const doc = parse(printSchema(apiSchema));
  const filtered = visit(doc, {
    ObjectTypeDefinition(node) {
      return { ...node, fields: node.fields?.filter((f) => !isOperatorOnly(node.name.value, f, index)) };
    },
  });
  const withFields = buildASTSchema(filtered);
  // The constructor keeps only the types reachable from the roots: the operator-only types go.
  const memberSchema = new GraphQLSchema({
    query: withFields.getQueryType(),
    mutation: withFields.getMutationType(),
    subscription: withFields.getSubscriptionType(),
    directives: withFields.getDirectives(),
    description: withFields.description,
  });
  const hidden = new Set<string>();
  for (const type of Object.values(apiSchema.getTypeMap())) {
    const kept = memberSchema.getType(type.name);
    if (!kept) hidden.add(type.name);
    if ((isObjectType(type) || isInterfaceType(type)) && kept && (isObjectType(kept) || isInterfaceType(kept))) {
      for (const name of Object.keys(type.getFields())) if (!kept.getFields()[name]) hidden.add(name);
    } else if (isObjectType(type) || isInterfaceType(type)) {
      for (const name of Object.keys(type.getFields())) hidden.add(name);
    }
  }
  // A name a member can see elsewhere (e.g. `id` on an operator type) is not a secret.
  for (const type of Object.values(memberSchema.getTypeMap())) {
    if (isObjectType(type) || isInterfaceType(type)) for (const name of Object.keys(type.getFields())) hidden.delete(name);
  }
  return { memberSchema, hiddenFromMembers: hidden };
}

/** Which suggested names a principal may read in a "Did you mean …" message. */
export function suggestionFilter(identity: Identity | undefined, views: SchemaViews | undefined): (name: string) => boolean {
  if (!identity || identity.kind === 'anonymous') return () => false;
  if (identity.kind === 'operator') return () => true;
  // Fail closed: without the member view nobody can tell which names are the back office's.
  if (!views) return () => false;
  return (name) => !views.hiddenFromMembers.has(name);
}

/**
 * Rewrites graphql's ` Did you mean "a", "b", or "c"?` to the names the principal may see, or
 * drops it. graphql-js builds every suggestion with `didYouMean`, always at the end of the message.
 */
export function filterSuggestions(message: string, visible: (name: string) => boolean): string {
  const at = message.indexOf(' Did you mean ');
  if (at < 0) return message;
  const tail = message.slice(at + ' Did you mean '.length);
  const firstQuote = tail.indexOf('"');
  const prefix = firstQuote > 0 ? tail.slice(0, firstQuote) : '';
  const names = [...tail.matchAll(/"([^"]+)"/g)].map((m) => m[1]!).filter(visible);
  if (names.length === 0) return message.slice(0, at);
  const quoted = names.map((n) => `"${n}"`);
  const list = quoted.length <= 2 ? quoted.join(' or ') : `${quoted.slice(0, -1).join(', ')}, or ${quoted.at(-1)}`;
  return `${message.slice(0, at)} Did you mean ${prefix}${list}?`;
}

/**
 * Answers a member account's introspection from the member schema. An operation mixing
 * introspection with data is refused for members (the gateway would answer its `__schema` from the
 * full API); clients such as GraphiQL send introspection on its own. Runs after the limits plugin,
 * which measured the operation.
 */
export function createIntrospectionPlugin(
  getViews: (schema: GraphQLSchema) => SchemaViews,
  format: (error: GraphQLError) => GraphQLFormattedError,
): ApolloServerPlugin<GatewayContext> {
  const answeredHere = (ctx: { contextValue: GatewayContext }) => ctx.contextValue.identity.kind === 'member' && ctx.contextValue.operationMetrics?.introspection === true;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          if (!answeredHere(ctx)) return;
          if (!ctx.contextValue.operationMetrics!.introspectionOnly || ctx.operation?.operation !== 'query') {
            throw new GraphQLError('Send introspection as an operation of its own. スキーマの参照は単独の操作として送信してください。', {
              extensions: { code: 'BAD_USER_INPUT', rule: 'introspection', http: { status: 400 } },
            });
          }
        },
        async responseForOperation(ctx) {
          if (!answeredHere(ctx)) return null;
          const result = await execute({
            schema: getViews(ctx.schema).memberSchema,
            document: ctx.document,
            operationName: ctx.request.operationName,
            variableValues: ctx.request.variables,
          });
          // A plugin's answer skips Apollo's formatError: mask here with the same rule.
          const errors = result.errors?.map(format);
          return { http: ctx.response.http, body: { kind: 'single', singleResult: { data: result.data, ...(errors ? { errors } : {}) } } };
        },
      };
    },
  };
}

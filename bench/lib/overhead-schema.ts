import { makeExecutableSchema } from '@graphql-tools/schema';
import { type IRule, type IRules, rule, shield } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import type { GraphQLSchema } from 'graphql';
import { scopeDirective, type Principal } from '../../src/index';

/** The scope each field of the benchmark schema requires, by type and field. */
export const FIELD_SCOPES = {
  Query: { posts: 'posts.read', post: 'posts.read' },
  Post: { id: 'posts.read', title: 'posts.read', body: 'content.read', views: 'stats.read', status: 'workflow.read' },
} as const;

/** Every scope the benchmark queries need. */
export const ALL_SCOPES: readonly string[] = [...new Set(Object.values(FIELD_SCOPES).flatMap((fields) => Object.values(fields)))];

const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
const operationDirective = scopeDirective('scope', { enforce: 'operation' });

/** One schema, five scalar fields with a field-level `@scope` each. */
const typeDefs = /* GraphQL */ `
  type Post {
    id: ID @scope(resource: "posts", action: "read")
    title: String @scope(resource: "posts", action: "read")
    body: String @scope(resource: "content", action: "read")
    views: Int @scope(resource: "stats", action: "read")
    status: String @scope(resource: "workflow", action: "read")
  }
  type Query {
    posts: [Post] @scope(resource: "posts", action: "read")
    post: Post @scope(resource: "posts", action: "read")
  }
`;

/** The rows every setup serves; built once, so all setups return the same objects. */
export interface PostRow {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly views: number;
  readonly status: string;
}

/** Builds `count` rows with distinct values. */
export function buildRows(count: number): PostRow[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `p${index}`,
    title: `Post number ${index}`,
    body: `Body of post ${index}, a few words long.`,
    views: index * 7,
    status: index % 3 === 0 ? 'draft' : 'published',
  }));
}

function baseSchema(rows: readonly PostRow[]): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [scopeDirectiveTypeDefs, typeDefs],
    resolvers: { Query: { posts: () => rows, post: () => rows[0] } },
  });
}

/** The schema without any authorization. */
export function plainSchema(rows: readonly PostRow[]): GraphQLSchema {
  return baseSchema(rows);
}

/** The schema through our `@scope` transformer. */
export function scopedSchema(rows: readonly PostRow[]): GraphQLSchema {
  return scopeDirectiveTransformer(baseSchema(rows));
}

/** The schema through our transformer in `'operation'` mode: only the root fields are wrapped. */
export function operationScopedSchema(rows: readonly PostRow[]): GraphQLSchema {
  return operationDirective.scopeDirectiveTransformer(baseSchema(rows));
}

/** A graphql-shield cache mode, as its `rule({ cache })` option takes it. */
export type ShieldCache = 'contextual' | 'strict' | 'no_cache';

/** How the graphql-shield rules are written. */
export interface ShieldVariant {
  readonly cache: ShieldCache;
  /** `async` rule functions, as in shield's README examples, or plain sync functions. */
  readonly asyncRules: boolean;
}

/** A readable name of a variant, `contextual/sync`. */
export function shieldVariantName(variant: ShieldVariant): string {
  return `${variant.cache}/${variant.asyncRules ? 'async' : 'sync'}`;
}

interface ShieldContext {
  readonly principal?: Principal | null;
}

function hasScope(context: ShieldContext, scope: string): boolean {
  return context.principal?.scopes.has(scope) === true;
}

/**
 * The same schema guarded by graphql-shield 7 through graphql-middleware:
 * one named rule per scope, a rule map mirroring {@link FIELD_SCOPES},
 * `debug: false` (production) and `allowExternalErrors: true` (resolver errors
 * pass through unchanged, like ours; no effect on the allowed path).
 */
export function shieldSchema(rows: readonly PostRow[], variant: ShieldVariant): GraphQLSchema {
  const rules = new Map(
    ALL_SCOPES.map((scope) => {
      const options = { cache: variant.cache };
      const check = variant.asyncRules
        ? rule(`has-${scope}`, options)(async (_parent, _args, context: ShieldContext) => hasScope(context, scope))
        : rule(`has-${scope}`, options)((_parent, _args, context: ShieldContext) => hasScope(context, scope));
      return [scope, check] as const;
    }),
  );
  const ruleFor = (scope: string): IRule => {
    const found = rules.get(scope);
    if (!found) throw new Error(`no shield rule for ${scope}`);
    return found;
  };
  const ruleMap: IRules = Object.fromEntries(
    Object.entries(FIELD_SCOPES).map(([typeName, fields]) => [
      typeName,
      Object.fromEntries(Object.entries(fields).map(([fieldName, scope]) => [fieldName, ruleFor(scope)])),
    ]),
  );
  return applyMiddleware(baseSchema(rows), shield(ruleMap, { debug: false, allowExternalErrors: true }));
}

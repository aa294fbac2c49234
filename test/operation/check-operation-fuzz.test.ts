import { makeExecutableSchema } from '@graphql-tools/schema';
import fc from 'fast-check';
import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  getNamedType,
  type GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
} from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import { checkOperation, type OperationCheck } from '../../src/operation/check-operation';
import type { Principal } from '../../src/principal/principal';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';

// A differential property test of the operation check against field mode, the
// reference: on random operations over a schema with interfaces, unions,
// fragments, aliases, @skip/@include and a dynamic (per-tenant) requirement,
// `checkOperation` never allows what field-mode execution denies, and an
// operation-mode execution never returns what field mode refuses. Documents
// are run validated and unvalidated (as `execute()` alone would run them):
// an unvalidated one may also be refused with a typed error, never allowed.

/** The requirements the fuzzed expressions replace, by place; the defaults are single scopes. */
interface Requirements {
  readonly post: string;
  readonly email: string;
  readonly tag: string;
  readonly posts: string;
  /** On the interface type `Node` (applies to the fields of `Note`, and of `User` but `email`) and on its field `related` (every implementation's). */
  readonly node: string;
  readonly related: string;
}

const SINGLE_SCOPES: Requirements = {
  post: '@scope(resource: "posts")',
  email: '@scope(resource: "users", action: "email")',
  tag: '@scope(resource: "tags")',
  posts: '@scope(resource: "posts")',
  node: '',
  related: '',
};

const typeDefsWith = (requirements: Requirements): string => /* GraphQL */ `
  interface Node ${requirements.node} {
    id: ID
    tagged(org: String!): String @scope(resource: "notes")
    related: [Node] ${requirements.related}
  }
  interface Named {
    name: String
  }
  type Post implements Node & Named ${requirements.post} {
    id: ID
    name: String
    tagged(org: String!): String
    related: [Node]
    author: User
  }
  type User implements Node & Named {
    id: ID
    name: String
    tagged(org: String!): String
    related: [Node]
    email: String ${requirements.email}
    posts: [Post]
    search: [SearchResult]
  }
  type Note implements Node {
    id: ID
    tagged(org: String!): String
    related: [Node]
    owners: [Named]
  }
  type Tag {
    label: String ${requirements.tag}
  }
  union SearchResult = Post | User | Note
  type Query {
    nodes: [Node]
    search: [SearchResult]
    me: User
    posts: [Post] ${requirements.posts}
    tags: [Tag]
    hello: String
    echo(org: String!): String
  }
`;

/** `tagged(org:)` needs the tenant's scope, as a multi-tenant dynamic requirement would. */
const requiredScope = ({ coordinate, args }: { coordinate: string; args: Readonly<Record<string, unknown>> }): string | null =>
  coordinate.endsWith('.tagged') && typeof args.org === 'string' ? `org-${args.org}.read` : null;

// Every abstract field is a list holding one object of each possible type, so field mode reaches every concrete type.
const note = { __typename: 'Note', id: 'n1' };
const user = { __typename: 'User', id: 'u1', name: 'Ada', email: 'ada@example.com' };
const post = { __typename: 'Post', id: 'p1', name: 'Hello' };
const all = () => [post, user, note];
const resolveType = (value: { __typename: string }) => value.__typename;
const tagged = (_: unknown, { org }: { org: string }) => `notes of ${org}`;

function buildSchema(enforce: EnforcementMode, requirements: Requirements = SINGLE_SCOPES): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce, requiredScope });
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, typeDefsWith(requirements)],
      resolvers: {
        Node: { __resolveType: resolveType },
        Named: { __resolveType: resolveType },
        SearchResult: { __resolveType: resolveType },
        Post: { tagged, related: all, author: () => user },
        User: { tagged, related: all, posts: () => [post], search: all },
        Note: { tagged, related: all, owners: () => [post, user] },
        Query: { nodes: all, search: all, me: () => user, posts: () => [post], tags: () => [{ label: 'x' }], hello: () => 'world', echo: () => 'echo' },
      },
    }),
  );
}

const schemas = { field: buildSchema('field'), operation: buildSchema('operation') };
const reference = schemas.field;

/** A selection, as choices that are interpreted against the parent type when rendered. */
interface Choice {
  readonly kind: number;
  readonly pick: number;
  readonly alias: number;
  readonly directive: number;
  readonly argument: number;
  readonly children: readonly Choice[];
}

const { choices } = fc.letrec<{ choice: Choice; choices: readonly Choice[] }>((tie) => ({
  choice: fc.record({
    // 0-4 a field, 5-6 an inline fragment, 7-8 a spread, 9 __typename, 10-11 twin branches.
    kind: fc.nat(11),
    pick: fc.oneof(fc.nat(3), fc.nat(20)),
    alias: fc.nat(6),
    directive: fc.nat(12),
    argument: fc.nat(3),
    children: tie('choices'),
  }),
  choices: fc.oneof(
    { maxDepth: 6, depthSize: 'large', depthIdentifier: 'choices', withCrossShrink: true },
    { arbitrary: fc.constant([]), weight: 1 },
    { arbitrary: fc.array(tie('choice'), { minLength: 1, maxLength: 3, depthIdentifier: 'choices' }), weight: 3 },
  ),
}));

const COMPOSITES = ['Node', 'Named', 'Post', 'User', 'Note', 'Tag', 'SearchResult', 'Query'];
const ALIASES = ['', 'a', 'b', 'name', 'id', 'tagged', 'email'];
// Literal and variable conditions, a defaulted variable, and (unvalidated) duplicates.
const DIRECTIVES = [
  '', '', '', '', '@skip(if: true)', '@skip(if: false)', '@include(if: $yes)', '@include(if: $no)', '@skip(if: $defaulted)',
  // Only unvalidated documents get these (validation refuses them):
  '@skip(if: false) @skip(if: true)', '@include(if: true) @include(if: false)', '@skip(if: true, if: false)',
];
// The first names are the likeliest picks: the fields that reach abstract types and the dynamic requirement.
const FIELD_NAMES = ['related', 'tagged', 'search', 'email', 'nodes', 'owners', 'me', 'posts', 'author', 'name', 'id', 'label', 'tags', 'hello'];
/** How many of `DIRECTIVES` (the first ones) validation accepts. */
const VALID_DIRECTIVES = 9;
const ORGS = ['"acme"', '"evil"', '$org', '$other'];
// Every variable is used once where it needs nothing, so that unused variables never fail validation.
const USES = 'u1: __typename @include(if: $yes) u2: __typename @include(if: $no) u3: __typename @include(if: $defaulted) u4: echo(org: $org) u5: echo(org: $other)';

/** The concrete types of a composite type. */
function concrete(typeName: string): string[] {
  const type = reference.getType(typeName);
  if (isAbstractType(type)) return reference.getPossibleTypes(type).map((possible) => possible.name);
  return type === undefined ? [] : [type.name];
}

/** Whether fragments on `a` can apply inside a selection on `b` (validation's rule). */
const overlaps = (a: string, b: string): boolean => concrete(a).some((name) => concrete(b).includes(name));

/** Picks among `names`, mostly among those that overlap `parent`, so that most documents validate. */
function pickCondition<T>(names: readonly T[], nameOf: (item: T) => string, parent: string, pick: number, strict: boolean): T | undefined {
  const candidates = strict ? names.filter((name) => overlaps(nameOf(name), parent)) : names;
  return candidates.length === 0 ? undefined : candidates[pick % candidates.length];
}

/** What rendering needs besides the choices: the fragments' type conditions, and whether the document must validate. */
interface Rendering {
  readonly fragmentConditions: readonly string[];
  /** Only what validation accepts: no duplicate directives, possible type conditions, no conflicting aliases. */
  readonly strict: boolean;
}

/**
 * Renders choices as selections on `typeName`; a choice that cannot apply there becomes a field, or
 * an inline fragment on a union. `shift` changes the arguments, for the second of twin branches.
 */
function render(items: readonly Choice[], typeName: string, rendering: Rendering, shift = 0): string {
  const type = reference.getType(typeName);
  const { fragmentConditions, strict } = rendering;
  const parts: string[] = [];
  for (const item of items) {
    const directive = DIRECTIVES[item.directive % (strict ? VALID_DIRECTIVES : DIRECTIVES.length)] ?? '';
    const types = concrete(typeName);
    if (item.kind >= 10 && types.length > 1) {
      // Twin branches on two concrete types, the same selections with other arguments: execution
      // merges their fields by response key only per concrete type, and validation allows it.
      const [first, second] = [types[item.pick % types.length] ?? typeName, types[(item.pick + 1) % types.length] ?? typeName];
      parts.push(`... on ${first} { __typename ${render(item.children, first, rendering, shift)} }`);
      parts.push(`... on ${second} { __typename ${render(item.children, second, rendering, shift + 1)} }`);
    } else if ((item.kind === 7 || item.kind === 8) && fragmentConditions.length > 0) {
      const indexes = fragmentConditions.map((_, index) => index);
      const index = pickCondition(indexes, (n) => fragmentConditions[n] ?? 'Query', typeName, item.pick, strict || item.alias % 2 === 0);
      parts.push(index === undefined ? `__typename ${directive}` : `...F${index} ${directive}`);
    } else if (item.kind === 9) {
      parts.push(`__typename ${directive}`);
    } else if (item.kind === 5 || item.kind === 6 || !(isObjectType(type) || isInterfaceType(type))) {
      // Any type condition, impossible ones included (unless strict); none at all when the pick says so.
      const on = item.pick % 7 === 0 ? undefined : pickCondition(COMPOSITES, String, typeName, item.pick, strict || item.alias % 2 === 0);
      parts.push(`... ${on === undefined ? '' : `on ${on} `}${directive} { __typename ${render(item.children, on ?? typeName, rendering, shift)} }`);
    } else {
      // Fields are picked by name where the type has it, so that twin branches pick the same field.
      const fields = type.getFields();
      const list = Object.values(fields);
      const field = fields[FIELD_NAMES[item.pick % FIELD_NAMES.length] ?? ''] ?? list[item.pick % list.length];
      if (field === undefined) continue;
      const hasArgs = field.args.length > 0;
      // Strict: a field with arguments is aliased by its (unshifted) argument, so that two selections
      // with other arguments never share a response key, except across twin branches.
      const alias = strict ? (hasArgs ? `t${item.argument % ORGS.length}` : '') : (ALIASES[item.alias % ALIASES.length] ?? '');
      const args = hasArgs ? `(org: ${ORGS[(item.argument + shift) % ORGS.length]})` : '';
      const named = getNamedType(field.type);
      const below = isCompositeType(named) ? ` { __typename ${render(item.children, named.name, rendering, shift)} }` : '';
      parts.push(`${alias === '' ? '' : `${alias}: `}${field.name}${args} ${directive}${below}`);
    }
  }
  return parts.join(' ');
}

interface Model {
  readonly operation: readonly Choice[];
  readonly fragments: readonly { readonly on: number; readonly body: readonly Choice[] }[];
  readonly variables: { readonly yes: boolean; readonly no: boolean; readonly defaulted?: boolean | null; readonly org: string };
  readonly grants: readonly string[];
  readonly validated: boolean;
}

const model: fc.Arbitrary<Model> = fc.record({
  operation: choices,
  fragments: fc.array(fc.record({ on: fc.nat(COMPOSITES.length - 1), body: choices }), { maxLength: 3 }),
  variables: fc.record(
    { yes: fc.constant(true), no: fc.constant(false), defaulted: fc.option(fc.boolean(), { nil: null }), org: fc.constantFrom('acme', 'evil') },
    { requiredKeys: ['yes', 'no', 'org'] },
  ),
  grants: fc.subarray(['posts.read', 'users.email', 'notes.read', 'tags.read', 'org-acme.read', 'org-evil.read', 'users.*', '*.read']),
  validated: fc.boolean(),
});

function documentOf(input: Model): DocumentNode {
  const rendering: Rendering = { fragmentConditions: input.fragments.map((fragment) => COMPOSITES[fragment.on] ?? 'Query'), strict: input.validated };
  // A fragment spreads only later fragments, so no fragment cycle is generated.
  const fragments = input.fragments.map((fragment, index) => {
    const on = rendering.fragmentConditions[index] ?? 'Query';
    const body = render(fragment.body, on, rendering).replace(/\.\.\.F(\d+)/g, (spread, n: string) => (Number(n) > index ? spread : '__typename'));
    return `fragment F${index} on ${on} { __typename ${body} }`;
  });
  const operation = `query Q($yes: Boolean!, $no: Boolean!, $defaulted: Boolean = true, $org: String!, $other: String! = "evil") { ${USES} ${render(input.operation, 'Query', rendering)} }`;
  // Only the fragments the operation uses, directly or through each other (validation refuses unused ones).
  const used = new Set<number>();
  const spreadsOf = (text: string) => [...text.matchAll(/\.\.\.F(\d+)/g)].map((match) => Number(match[1]));
  const pending = spreadsOf(operation);
  for (let index = pending.pop(); index !== undefined; index = pending.pop()) {
    if (used.has(index)) continue;
    used.add(index);
    pending.push(...spreadsOf(fragments[index] ?? ''));
  }
  return parse([operation, ...fragments.filter((_, index) => used.has(index))].join('\n'));
}

/** What the FORBIDDEN and UNAUTHENTICATED errors of a field-mode result lack, as clause keys: a scope, or a choice's alternatives joined with `|`. */
function deniedScopes(result: ExecutionResult): string[] {
  return (result.errors ?? [])
    .filter((error) => error.extensions.code === 'FORBIDDEN' || error.extensions.code === 'UNAUTHENTICATED')
    .map((error) => (Array.isArray(error.extensions.anyOf) ? (error.extensions.anyOf as string[]).join('|') : String(error.extensions.requiredScope)));
}

/** The clause keys a check denies. */
function deniedKeys(check: OperationCheck): string[] {
  return check.denied.map((denied) => denied.requiredScope ?? (denied.anyOf ?? []).join('|'));
}

/** Whether an error is our typed refusal of a malformed operation. */
function isTypedRefusal(error: unknown): boolean {
  return error instanceof ScopedPermissionsError && error.code.startsWith('ERR_');
}

/** One differential run: field mode is the reference that the operation check and operation mode must never be laxer than; returns what field mode denied. */
async function compare(input: Model, pair: { field: GraphQLSchema; operation: GraphQLSchema }): Promise<string[]> {
  const document = documentOf(input);
  const principal: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(input.grants) };
  const request = { document, variableValues: input.variables, contextValue: { principal } };
  const field = await execute({ schema: pair.field, ...request });
  const deniedInFieldMode = deniedScopes(field);

  let missing: string[] | 'refused';
  try {
    missing = deniedKeys(checkOperation({ schema: pair.operation, document, variableValues: input.variables, principal }));
  } catch (error) {
    if (input.validated || !isTypedRefusal(error)) throw error;
    missing = 'refused';
  }
  if (missing !== 'refused') for (const scope of deniedInFieldMode) expect(missing).toContain(scope);

  const operation = await execute({ schema: pair.operation, ...request });
  if (deniedInFieldMode.length > 0) {
    // Refused as a whole: no root field has data (a root `__typename`, under any alias, is no data).
    const data = (operation.data ?? {}) as Record<string, unknown>;
    expect(Object.entries(data).filter(([, value]) => value !== null && value !== 'Query')).toEqual([]);
    expect(operation.errors?.length ?? 0).toBeGreaterThan(0);
  }
  return deniedInFieldMode;
}

// The scopes the random expressions are made of, and what the random grants hold.
const EXPRESSION_SCOPES = ['posts.read', 'posts.admin', 'users.email', 'users.admin', 'tags.read', 'labels.read'];

/** A random requirement: one to three usages of the directive (AND), each one scope or an `anyOf` of one to three (OR). */
const expression: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      {
        arbitrary: fc.constantFrom(...EXPRESSION_SCOPES).map((scope) => {
          const [resource, action] = scope.split('.');
          return `@scope(resource: "${resource}", action: "${action}")`;
        }),
        weight: 1,
      },
      // Weighted up, so that unmet choices are common enough (a random grant set meets most of them).
      { arbitrary: fc.subarray(EXPRESSION_SCOPES, { minLength: 1, maxLength: 3 }).map((scopes) => `@scope(anyOf: [${scopes.map((scope) => `"${scope}"`).join(', ')}])`), weight: 2 },
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((usages) => usages.join(' '));

const expressionModel = fc.record({
  requirements: fc.record({ post: expression, email: expression, tag: expression, posts: expression, node: fc.option(expression, { nil: '' }), related: fc.option(expression, { nil: '' }) }),
  input: model.chain((input) => fc.subarray([...EXPRESSION_SCOPES, 'notes.read', 'org-acme.read', 'users.*', '*.admin'], { maxLength: 3 }).map((grants) => ({ ...input, grants }))),
});

describe('checkOperation against field-mode execution (differential, random operations)', () => {
  it('never allows what field mode denies, and operation mode never returns what field mode refuses', async () => {
    let validatedRuns = 0;
    await fc.assert(
      fc.asyncProperty(model, async (input) => {
        if (input.validated && validate(reference, documentOf(input)).length > 0) return;
        if (input.validated) validatedRuns += 1;
        await compare(input, schemas);
      }),
      { numRuns: 600 },
    );
    // The generator must produce enough valid documents for the validated half to mean something.
    expect(validatedRuns).toBeGreaterThan(200);
  });

  it('holds for random expressions too: AND (repeated @scope), OR (anyOf) and both, on fields, types, an interface type and an interface field', async () => {
    let validatedRuns = 0;
    let deniedRuns = 0;
    // What the generators must reach for the property to cover expressions: an unmet OR, an unmet AND, mixed requirements.
    let deniedChoiceRuns = 0;
    let deniedSeveralClausesRuns = 0;
    let mixedRuns = 0;
    await fc.assert(
      fc.asyncProperty(expressionModel, async ({ requirements, input }) => {
        const pair = { field: buildSchema('field', requirements), operation: buildSchema('operation', requirements) };
        if (input.validated && validate(pair.field, documentOf(input)).length > 0) return;
        if (input.validated) validatedRuns += 1;
        const denied = await compare(input, pair);
        if (denied.length > 0) deniedRuns += 1;
        if (denied.some((key) => key.includes('|'))) deniedChoiceRuns += 1;
        if (new Set(denied).size > 1) deniedSeveralClausesRuns += 1;
        if (Object.values(requirements).some((written) => written.includes('anyOf') && written.includes('resource:'))) mixedRuns += 1;
      }),
      { numRuns: 160 },
    );
    expect(validatedRuns).toBeGreaterThan(40);
    expect(deniedRuns).toBeGreaterThan(20);
    // Measured at 14–22, 10–20 and ~150 over three seeds.
    expect(deniedChoiceRuns).toBeGreaterThan(5);
    expect(deniedSeveralClausesRuns).toBeGreaterThan(3);
    expect(mixedRuns).toBeGreaterThan(50);
  });
});

import { graphql, type GraphQLSchema, isObjectType } from 'graphql';
import { assertScopesEnforced } from '../../src/directive/assert-scopes-enforced';
import type { Principal } from '../../src/principal/principal';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { buildPostsSubgraph, buildUsersSubgraph, type SubgraphCalls } from '../federation/subgraphs';

const quiet = { onWarning: () => undefined };
const key = (...scopes: string[]): Principal => ({ kind: 'apiKey', id: 'k1', scopes: new Set(scopes) });

const ENTITIES = `query Entities($r: [_Any!]!) {
  _entities(representations: $r) { __typename ... on Post { title } ... on User { posts { id } } }
}`;
const USER_ENTITIES = 'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on User { name email } } }';

interface Outcome {
  data: unknown;
  codes: string[];
}

async function run(schema: GraphQLSchema, source: string, principal: Principal | undefined, variableValues?: Record<string, unknown>): Promise<Outcome> {
  const result = await graphql({ schema, source, variableValues, contextValue: { principal } });
  return { data: result.data ?? null, codes: (result.errors ?? []).map((error) => String(error.extensions.code ?? error.message)) };
}

describe.each<EnforcementMode>(['field', 'operation'])('a buildSubgraphSchema schema in %s mode', (mode) => {
  const calls: SubgraphCalls = { resolveReference: 0 };
  const posts = buildPostsSubgraph({ ...quiet, enforce: mode }, calls);
  const users = buildUsersSubgraph({ ...quiet, enforce: mode });

  it('keeps __resolveReference, _service, _entities and the federation directives', async () => {
    for (const name of ['Post', 'User']) {
      const type = posts.getType(name);
      expect(isObjectType(type) && typeof (type.extensions as { apollo?: { subgraph?: { resolveReference?: unknown } } }).apollo?.subgraph?.resolveReference).toBe('function');
    }
    expect(Object.keys(posts.getQueryType()?.getFields() ?? {})).toEqual(expect.arrayContaining(['_entities', '_service']));
    const { data } = await run(posts, '{ _service { sdl } }', undefined);
    const sdl = (data as { _service: { sdl: string } })._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    expect(sdl).toContain('@key(fields: "id")');
    expect(sdl).toContain('@scope(resource: "posts")');
  });

  it('assertScopesEnforced accepts the subgraph schema', () => {
    expect(() => assertScopesEnforced(posts)).not.toThrow();
    expect(() => assertScopesEnforced(users)).not.toThrow();
  });

  it('resolves entities through __resolveReference for a caller with the scopes', async () => {
    const before = calls.resolveReference;
    const outcome = await run(posts, ENTITIES, key('posts.read'), { r: [{ __typename: 'Post', id: 'p2' }, { __typename: 'User', id: 'u1' }] });
    expect(outcome).toEqual({ data: { _entities: [{ __typename: 'Post', title: 'World' }, { __typename: 'User', posts: [{ id: 'p1' }] }] }, codes: [] });
    expect(calls.resolveReference - before).toBe(2);
  });

  // A denied non-null field nulls its entity in field mode; operation mode refuses the operation.
  const refused = mode === 'field' ? { _entities: [null] } : null;
  // [case, scopes, representations, data, denied]
  it.each<[string, string[], unknown[], unknown, boolean]>([
    ['only User representations, a caller without users scopes', ['posts.read'], [{ __typename: 'User', id: 'u1' }], refused, true],
    ['a User representation with users.read but not users.email', ['users.read'], [{ __typename: 'User', id: 'u2' }], mode === 'field' ? { _entities: [{ name: 'Grace', email: null }] } : null, true],
    ['User representations with both scopes', ['users.read', 'users.email'], [{ __typename: 'User', id: 'u2' }], { _entities: [{ name: 'Grace', email: 'grace@example.com' }] }, false],
  ])('users subgraph: %s', async (_case, scopes, representations, data, denied) => {
    const outcome = await run(users, USER_ENTITIES, key(...scopes), { r: representations });
    expect(outcome.data).toEqual(data);
    expect(outcome.codes.length > 0 && outcome.codes.every((code) => code === 'FORBIDDEN')).toBe(denied);
  });

  it('a User representation does not bypass User scopes when mixed into a batch', async () => {
    const outcome = await run(users, USER_ENTITIES, key('posts.read'), { r: [{ __typename: 'User', id: 'u1' }, { __typename: 'User', id: 'u2' }] });
    expect(outcome.codes.length > 0 && outcome.codes.every((code) => code === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(outcome.data)).not.toMatch(/Ada|Grace|example\.com/);
  });
});

describe('operation mode narrows _entities to the represented types', () => {
  const posts = buildPostsSubgraph({ ...quiet, enforce: 'operation' });
  const users = buildUsersSubgraph({ ...quiet, enforce: 'operation' });
  const postTitles = 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Post { title } ... on User { posts { title } } } }';
  const both = 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on User { name } } }';

  // [case, schema, query, representations, allowed for a posts-only key]
  it.each<[string, GraphQLSchema, string, unknown[], boolean]>([
    ['only Post representations: the User branch needs nothing more', posts, postTitles, [{ __typename: 'Post', id: 'p1' }], true],
    ['a User representation in the batch brings its branch in', posts, postTitles, [{ __typename: 'Post', id: 'p1' }, { __typename: 'User', id: 'u1' }], true],
    ['a representation typename that is not in the fragment needs nothing', users, both, [{ __typename: 'Post', id: 'p1' }], true],
    ['a User representation among others is checked', users, both, [{ __typename: 'Post', id: 'p1' }, { __typename: 'User', id: 'u1' }], false],
    ['a typename that joins two names is one unknown name, not both', users, both, [{ __typename: 'Post,User', id: 'p1' }], true],
  ])('%s', async (_case, schema, query, representations, allowed) => {
    const outcome = await run(schema, query, key('posts.read'), { r: representations });
    if (allowed) expect(outcome.codes).not.toContain('FORBIDDEN');
    else expect(outcome).toEqual({ data: null, codes: ['FORBIDDEN'] });
  });

  it('the cached plan of one batch does not serve a batch of other typenames', async () => {
    const source = 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on User { name } } }';
    // Same document text: servers cache the parsed document, so the plan cache is keyed by the representations too.
    const { parse, execute } = await import('graphql');
    const document = parse(source);
    const exec = async (representations: unknown[]): Promise<string[]> => {
      const result = await execute({ schema: users, document, variableValues: { r: representations }, contextValue: { principal: key('posts.read') } });
      return (result.errors ?? []).map((error) => String(error.extensions.code ?? 'other'));
    };
    expect(await exec([{ __typename: 'Post,User', id: 'x' }])).not.toContain('FORBIDDEN');
    expect(await exec([{ __typename: 'Post', id: 'x' }, { __typename: 'User', id: 'u1' }])).toEqual(['FORBIDDEN']);
    expect(await exec([{ __typename: 'User', id: 'u1' }])).toEqual(['FORBIDDEN']);
  });

  it('a representation without a string __typename keeps every entity type (conservative)', async () => {
    const outcome = await run(users, both, key('posts.read'), { r: [{ id: 'u1' }] });
    expect(outcome.codes).toContain('FORBIDDEN');
  });
});

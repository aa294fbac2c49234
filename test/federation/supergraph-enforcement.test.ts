import { buildASTSchema, parse } from 'graphql';
import { supergraphCatalog, supergraphEnforcement, withSupergraphEnforcement } from '../../src/federation/supergraph-enforcement';
import { printSubgraphSchemaWithScopes } from '../../src/federation/print-subgraph-schema-with-scopes';
import { checkOperation } from '../../src/operation/check-operation';
import type { Principal } from '../../src/principal/principal';
import { compose } from './compose';
import { buildPostsSubgraph, buildUsersSubgraph } from './subgraphs';

const quiet = { onWarning: () => undefined };
const supergraphSdl = compose('apollo', [
  { name: 'posts', sdl: printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet)) },
  { name: 'users', sdl: printSubgraphSchemaWithScopes(buildUsersSubgraph(quiet)) },
]);
const supergraph = () => buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
const key = (...scopes: string[]): Principal => ({ kind: 'apiKey', id: 'k', scopes: new Set(scopes) });

describe('the supergraph enforcement', () => {
  it('reads every @requiresScopes of the supergraph as a requirement', () => {
    expect(supergraphEnforcement(supergraph()).requirements.map((requirement) => `${requirement.coordinate} ${requirement.scope}`)).toEqual([
      'Mutation.postDelete posts.delete',
      'Post.title posts.read',
      'Query.posts posts.read',
      'Query.users users.read',
      'User.email users.email',
      'User.name users.read',
      'User.posts posts.read',
    ]);
  });

  it('groups the scopes by resource for expandGrants', () => {
    expect(supergraphCatalog(supergraph()).resources.map((resource) => [resource.resource, resource.scopes.map((scope) => scope.scope).sort()])).toEqual([
      ['posts', ['posts.delete', 'posts.read']],
      ['users', ['users.email', 'users.read']],
    ]);
  });

  // [query, scopes, allowed, missing]
  it.each<[string, string[], boolean, string[]]>([
    ['{ posts { title author { name } } }', ['posts.read', 'users.read'], true, []],
    ['{ posts { title author { name } } }', ['posts.read'], false, ['users.read']],
    ['{ posts { title author { name } } }', ['posts.*', 'users.*'], true, []],
    ['{ posts { author { id } } }', ['posts.read'], true, []],
  ])('checks %s for %j with the same walk', (query, scopes, allowed, missing) => {
    const schema = withSupergraphEnforcement(supergraph());
    const check = checkOperation({ schema, document: parse(query), principal: key(...scopes) });
    expect([check.allowed, [...new Set(check.denied.map((denied) => denied.requiredScope))]]).toEqual([allowed, missing]);
  });

  it.each([
    ['an OR of scopes', '[["a.read"], ["b.read"]]'],
    ['an AND of scopes', '[["a.read", "b.read"]]'],
  ])('refuses %s, which the gateway cannot check yet (fail closed)', (_case, scopes) => {
    const schema = buildASTSchema(parse(`directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION\ntype Query { a: Int @requiresScopes(scopes: ${scopes}) }`));
    expect(() => supergraphEnforcement(schema)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE' }));
  });
});

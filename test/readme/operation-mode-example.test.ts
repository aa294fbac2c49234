import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { Principal } from '../../src/principal/principal';
import { parseMarkdown } from './markdown-blocks';

// The README's operation-mode example says what its own schema returns: this
// test takes the schema from that very block and checks the prose beneath it.
const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

function exampleTypeDefs(): string {
  const block = parseMarkdown(README).blocks.find((candidate) => candidate.body.includes("scopeDirective('scope', { enforce: 'operation' })") && candidate.body.includes('const operationSchema'));
  const typeDefs = block === undefined ? undefined : /\/\* GraphQL \*\/ `([^`]+)`/.exec(block.body)?.[1];
  if (typeDefs === undefined) throw new Error('The README lost its operation-mode example.');
  return typeDefs;
}

describe('the README’s operation-mode example', () => {
  const resolvers = { Query: { feed: () => [], me: () => null }, Mutation: { createPost: () => null } };

  it('answers { feed { title } me { email } } to a posts.read caller with data: null and one error, on feed', async () => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: 'operation' });
    const schema = scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, exampleTypeDefs()], resolvers }));
    const principal: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(['posts.read']) };
    const result = await graphql({ schema, source: '{ feed { title } me { email } }', contextValue: { principal } });
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => ({ path: error.path, extensions: error.extensions }))).toEqual([
      { path: ['feed'], extensions: expect.objectContaining({ code: 'FORBIDDEN', requiredScope: 'users.email', missingScopes: ['users.email'] }) },
    ]);
    expect(README).toContain('gets, in operation mode, `data: null` and one error, on `feed`');
  });

  it('without a principal, the same one error is UNAUTHENTICATED', async () => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: 'operation' });
    const schema = scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, exampleTypeDefs()], resolvers }));
    const result = await graphql({ schema, source: '{ feed { title } me { email } }', contextValue: {} });
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });
});

import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, GraphQLSchema, parse } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { checkOperation } from '../../src/operation/check-operation';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { key } from './library-schema';

describe('review-2 finding R6: what the walk derives from a type is kept per schema', () => {
  // Two schemas can share type objects (`new GraphQLSchema({ ...schema.toConfig(), types })`, a
  // public variant of an internal schema), but not their possible types. The facts of a field
  // were cached per type, so the possible types of the first schema walked answered for the second.
  function schemas(enforce: EnforcementMode) {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce, onWarning: () => undefined });
    const full = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: [
          scopeDirectiveTypeDefs,
          `interface Node { id: ID }
           type Page implements Node { id: ID }
           type Payslip implements Node { id: ID amount: Int @scope(resource: "payroll") }
           type Query { nodes: [Node] }`,
        ],
        resolvers: { Query: { nodes: () => [{ id: 'pay-1', amount: 5000 }] }, Node: { __resolveType: () => 'Payslip' } },
      }),
    );
    const config = full.toConfig();
    const publicVariant = new GraphQLSchema({ ...config, types: config.types.filter((type) => type.name !== 'Payslip') });
    return { full, publicVariant };
  }
  const query = parse('{ nodes { id ... on Payslip { amount } } }');
  const principal = key('pages.read');

  it('checkOperation', () => {
    const { full, publicVariant } = schemas('field');
    expect(checkOperation({ schema: publicVariant, document: parse('{ nodes { id } }'), principal }).allowed).toBe(true);
    expect(checkOperation({ schema: full, document: query, principal }).denied.map((denied) => denied.coordinate)).toEqual(['Payslip.amount']);
  });

  it('operation mode', async () => {
    const { full, publicVariant } = schemas('operation');
    await execute({ schema: publicVariant, document: parse('{ nodes { id } }'), contextValue: { principal } });
    const result = await execute({ schema: full, document: query, contextValue: { principal } });
    expect(result.data).toEqual({ nodes: null });
    expect(result.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
  });
});

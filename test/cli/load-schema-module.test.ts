import { resolve } from 'node:path';
import { isSchema } from 'graphql';
import { loadSchemaModule } from '../../src/cli/load-schema-module';
import { loadCatalog } from '../../src/cli/load-catalog';
import { CLI_FIXTURES } from './run-cli-in-process';

const FOREIGN = Symbol.for('graphql-scoped-permissions.test.foreign-schema');
type Holder = typeof globalThis & { [FOREIGN]?: unknown };

/** A schema from a second, isolated copy of graphql-js, as a duplicate install would make. */
function foreignSchema(sdl: string): unknown {
  let schema: unknown;
  jest.isolateModules(() => {
    const secondCopy = jest.requireActual<typeof import('graphql')>('graphql');
    schema = secondCopy.buildSchema(sdl);
  });
  return schema;
}

const SDL = /* GraphQL */ `
  directive @scope(resource: String!, action: String) on OBJECT | INTERFACE | FIELD_DEFINITION
  type Query {
    invoices: [String!]! @scope(resource: "invoices")
  }
  type Mutation {
    refund(id: ID!): Boolean @scope(resource: "invoices", action: "refund")
  }
`;

afterEach(() => {
  delete (globalThis as Holder)[FOREIGN];
  // The fixture module re-reads the global on its next import.
  jest.resetModules();
});

describe('loadSchemaModule', () => {
  it('returns the schema a module exports, from this copy of graphql', async () => {
    const loaded = await loadSchemaModule(resolve(CLI_FIXTURES, 'module/schema.cjs'), 'schema.cjs');
    expect('schema' in loaded && isSchema(loaded.schema)).toBe(true);
  });

  it('recognises a schema from another copy of graphql by its shape and rebuilds it from its SDL', async () => {
    const schema = foreignSchema(SDL);
    expect(() => isSchema(schema)).toThrow(/another module or realm/);
    (globalThis as Holder)[FOREIGN] = schema;

    const loaded = await loadSchemaModule(resolve(CLI_FIXTURES, 'module/foreign-schema.cjs'), 'foreign-schema.cjs');
    expect('document' in loaded).toBe(true);

    const catalog = await loadCatalog(['module/foreign-schema.cjs'], { cwd: CLI_FIXTURES });
    expect(catalog.resources.map(({ resource, scopes }) => [resource, scopes.map((entry) => `${entry.scope}:${entry.coordinates.join(',')}`)])).toEqual([
      ['invoices', ['invoices.read:Query.invoices', 'invoices.write:', 'invoices.delete:', 'invoices.refund:Mutation.refund']],
    ]);
  });

  it('rejects a code-first schema from another copy of graphql, which has no SDL to rebuild from', async () => {
    let schema: unknown;
    jest.isolateModules(() => {
      const secondCopy = jest.requireActual<typeof import('graphql')>('graphql');
      schema = new secondCopy.GraphQLSchema({
        query: new secondCopy.GraphQLObjectType({ name: 'Query', fields: { hello: { type: secondCopy.GraphQLString } } }),
      });
    });
    (globalThis as Holder)[FOREIGN] = schema;
    await expect(loadSchemaModule(resolve(CLI_FIXTURES, 'module/foreign-schema.cjs'), 'foreign-schema.cjs')).rejects.toMatchObject({
      code: 'ERR_SCHEMA_LOAD',
      details: { path: 'foreign-schema.cjs', element: 'Query' },
    });
  });

  it('rejects a module that throws while loading, naming the file', async () => {
    await expect(loadSchemaModule(resolve(CLI_FIXTURES, 'module/missing.cjs'), 'missing.cjs')).rejects.toMatchObject({
      code: 'ERR_SCHEMA_LOAD',
      details: { path: 'missing.cjs' },
    });
  });
});

// A process that serves a field whose dynamic `requiredScope` is async and rejects, to an
// anonymous caller, in the mode named by its argument; then waits a few turns of the event loop
// for an unhandled rejection (which ends a Node 20 process) and prints what each execution answered.
// Usage: node --import tsx test/support/async-required-scope-process.ts <field|operation>
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode !== 'field' && mode !== 'operation') throw new Error('usage: async-required-scope-process <field|operation>');
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', {
    enforce: mode,
    onWarning: () => undefined,
    requiredScope: (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('the scope service is down');
    }) as unknown as () => null,
  });
  const schema = scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, 'type Query { org(id: ID!): String @scope(resource: "orgs") }'],
      resolvers: { Query: { org: () => 'acme' } },
    }),
  );
  const codes: unknown[] = [];
  for (let index = 0; index < 3; index += 1) {
    const result = await execute({ schema, document: parse('{ org(id: "acme") }'), contextValue: {} });
    codes.push(...(result.errors ?? []).map((error) => (error.originalError as { code?: unknown } | undefined)?.code));
  }
  for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  console.log(JSON.stringify({ alive: true, codes }));
}

void main();

import { ApolloServer, type BaseContext } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Principal } from '../../src/principal/principal';
import { partialResultStatusPlugin } from '../../src/apollo';
import { buildBlogSchema } from '../directive/blog-schema';

interface Context extends BaseContext {
  principal?: Principal;
}

const principals: Record<string, Principal | undefined> = {
  none: undefined,
  reader: { kind: 'apiKey', id: 'k1', scopes: new Set(['posts.read']) },
  editor: { kind: 'apiKey', id: 'k2', scopes: new Set(['posts.read', 'posts.write']) },
  stranger: { kind: 'apiKey', id: 'k3', scopes: new Set(['comments.read']) },
};

// [principal, query, expected HTTP status (default / with the plugin), expected codes, data is null]
const cases: Array<[string, string, number, number, Array<string>, boolean]> = [
  ['none', '{ posts { id } }', 401, 401, ['UNAUTHENTICATED'], true],
  ['reader', '{ posts { id } }', 200, 200, [], false],
  ['reader', 'mutation { createPost(title: "x") { id } }', 403, 200, ['FORBIDDEN'], false],
  ['stranger', '{ hello requiredPost { id } }', 403, 403, ['FORBIDDEN'], true],
  ['reader', '{ hello analyticsExport }', 403, 200, ['FORBIDDEN'], false],
  ['editor', 'mutation { createPost(title: "x") { id } }', 200, 200, [], false],
];

describe.each([
  ['Apollo defaults', [] as ReturnType<typeof partialResultStatusPlugin>[], 2],
  ['partialResultStatusPlugin', [partialResultStatusPlugin<Context>()], 3],
])('through Apollo Server 5 (%s)', (_label, plugins, statusColumn) => {
  let server: ApolloServer<Context>;
  let url: string;
  let principalName = 'none';

  beforeAll(async () => {
    server = new ApolloServer<Context>({ schema: buildBlogSchema(), plugins });
    ({ url } = await startStandaloneServer(server, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async () => ({ principal: principals[principalName] }),
    }));
  });
  afterAll(() => server.stop());

  it.each(cases)('%s: %s', async (principal, query, ...rest) => {
    const [, , codes, dataIsNull] = rest;
    const status = statusColumn === 2 ? rest[0] : rest[1];

    const viaExecute = await server.executeOperation({ query }, { contextValue: { principal: principals[principal] } });
    if (viaExecute.body.kind !== 'single') throw new Error('expected a single result');
    expect(viaExecute.body.singleResult.errors?.map((e) => e.extensions?.code) ?? []).toEqual(codes);
    expect(viaExecute.http.status ?? 200).toBe(status);

    principalName = principal;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions: Record<string, unknown> }> };
    expect(response.status).toBe(status);
    expect(body.errors?.map((e) => e.extensions.code) ?? []).toEqual(codes);
    expect(body.data === null).toBe(dataIsNull);
    for (const error of body.errors ?? []) {
      expect(error.extensions.requiredScope).toEqual(expect.stringMatching(/^posts\.|^analytics\./));
      expect(error.extensions).not.toHaveProperty('http'); // Apollo consumes it
    }
  });
});

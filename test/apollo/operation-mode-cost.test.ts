import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';
import { MAX_WALKED_SELECTIONS } from '../../src/operation/walk-operation';
import { aliased, buildRootTypeSchema, countWalks, manyRootFields } from '../directive/root-type-schema';

// Issue 15, finding 1, over HTTP with no credentials: a valid 150 KiB document of many root fields
// past the walk's bound took 14 s through Apollo Server 5 (a concurrent `{ health }` waited 13.5 s),
// and `{ viewer { health × 8,000 } }` under a dynamic requiredScope took 12.6 s. Each must cost
// one walk.

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { extensions: { code: string } }[];
}

describe.each<[string, ScopeDirectiveOptions]>([
  ['static requirements', { enforce: 'operation' }],
  ['a dynamic requiredScope', { enforce: 'operation', requiredScope: () => null }],
])('operation mode through Apollo Server 5, anonymous, %s', (_label, options) => {
  let server: ApolloServer;
  let url: string;
  let walks: ReturnType<typeof countWalks>;

  beforeAll(async () => {
    server = new ApolloServer({ schema: buildRootTypeSchema(options), includeStacktraceInErrorResponses: false });
    ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } }));
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    walks = countWalks();
  });
  afterEach(() => walks.mockRestore());

  const post = async (query: string): Promise<{ status: number; body: Body }> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: response.status, body: (await response.json()) as Body };
  };

  it('a 150 KiB document of 7,500 root fields past the selection bound: one walk, one error', async () => {
    const query = manyRootFields(7500, 200);
    expect(query.length).toBeGreaterThan(150 * 1024);
    expect(7500 * 201).toBeGreaterThan(MAX_WALKED_SELECTIONS);
    const [attack, health] = await Promise.all([post(query), post('{ health }')]);
    expect(walks).toHaveBeenCalledTimes(2); // the attack's one walk, and the concurrent { health }
    expect(attack.body.errors?.map((error) => error.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(Object.values(attack.body.data ?? {}).every((value) => value === null)).toBe(true);
    expect(health).toEqual({ status: 200, body: { data: { health: 'ok' } } });
  });

  it('{ viewer { health × 8,000 } }: one walk', async () => {
    const { status, body } = await post(`{ viewer { ${aliased('health', 8000)} } }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data?.viewer ?? {})).toHaveLength(8000);
    expect(walks).toHaveBeenCalledTimes(1);
  });
});

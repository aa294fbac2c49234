/**
 * Federation costs, as paired ratios of alternating rounds (see `alternatingRounds`):
 *
 * 1. Subgraph: a `buildSubgraphSchema` schema in `'operation'` mode against the same
 *    subgraph untransformed, on a 10,000-row list with 5 scoped fields per row (goal ≤ 1.05).
 * 2. Gateway: Hive Gateway (`createGatewayRuntime`, requests through its in-process
 *    `fetch`) with `useGatewayScopedPermissions` (API key verified from its cache, the
 *    operation checked against the supergraph's `@requiresScopes`, the caller signed
 *    with Ed25519 and forwarded) against the same gateway without it, on a small query
 *    across two Apollo subgraphs served over HTTP on this machine (goal ≤ 1.10).
 *
 * Run: `node --expose-gc --import tsx bench/federation.ts [--quick]`. Prints tables, then one JSON line.
 * The machine is shared: read the spreads, not only the medians.
 */
import { generateKeyPairSync } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { execute, type GraphQLSchema, parse } from 'graphql';
import { createScopedContext, MemoryScopeStore, type Principal, scopeDirective } from '../src/index';
import { useGatewayScopedPermissions } from '../src/envelop/index';
import { printSubgraphSchemaWithScopes } from '../src/federation/index';
import { compose } from '../test/federation/compose';
import { buildPostsSubgraph, buildUsersSubgraph } from '../test/federation/subgraphs';
import { alternatingRounds, type Contender, type RoundSamples } from './lib/alternating-rounds';
import { readBenchFlags } from './lib/bench-flags';
import { printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, summarize } from './lib/stats';

const { quick } = readBenchFlags();
const ROW_COUNT = 10_000;
const quiet = { onWarning: () => undefined };

function ratioOf(samples: RoundSamples, ours: string, base: string) {
  const wall = summarize(pairedRatios(samples[ours]?.wallMs ?? [], samples[base]?.wallMs ?? []));
  const cpu = summarize(pairedRatios(samples[ours]?.cpuMs ?? [], samples[base]?.cpuMs ?? []));
  return { wall, cpu, oursMs: summarize(samples[ours]?.wallMs ?? []), baseMs: summarize(samples[base]?.wallMs ?? []) };
}

async function subgraphList() {
  const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { ...quiet, enforce: 'operation' });
  const sdl = `${link}\n${scopeDirectiveTypeDefs}\ntype Query { rows: [Row!]! @scope(resource: "rows") }\ntype Row @key(fields: "id") @scope(resource: "rows") { id: ID! a: String! b: String! c: String! d: String! }`;
  const rows = Array.from({ length: ROW_COUNT }, (_, index) => ({ id: String(index), a: 'a', b: 'b', c: 'c', d: 'd' }));
  const build = () => buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: { Query: { rows: () => rows } } as unknown as GraphQLResolverMap<unknown> });
  const plain: GraphQLSchema = build();
  const scoped = scopeDirectiveTransformer(build());
  const document = parse('{ rows { id a b c d } }');
  const contextValue = { principal: { kind: 'apiKey', id: 'bench', scopes: new Set(['rows.read']) } satisfies Principal };
  const check = execute({ schema: scoped, document, contextValue }) as { errors?: unknown; data?: { rows: unknown[] } };
  if (check.errors !== undefined || check.data?.rows.length !== ROW_COUNT) throw new Error('the scoped subgraph does not answer the list');
  const contenders: Contender[] = [
    { name: 'plain', run: () => execute({ schema: plain, document, contextValue }) },
    { name: 'operation', run: () => execute({ schema: scoped, document, contextValue }) },
  ];
  const samples = await alternatingRounds(contenders, quick ? { batch: 1, blocks: 1, rounds: 3, warmupRounds: 1 } : { batch: 1, blocks: 3, rounds: 15 });
  return ratioOf(samples, 'operation', 'plain');
}

async function gateway() {
  const keys = generateKeyPairSync('ed25519');
  // Plain subgraphs: only the gateway's cost differs between the contenders.
  const servers = [new ApolloServer({ schema: buildPostsSubgraph(quiet) }), new ApolloServer({ schema: buildUsersSubgraph(quiet) })];
  const principal: Principal = { kind: 'apiKey', id: 'subgraph', scopes: new Set(['posts.read', 'users.read']) };
  const [posts, users] = await Promise.all(servers.map((server) => startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context: async () => ({ principal }) })));
  const supergraph = compose('apollo', [
    { name: 'posts', sdl: printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet)), url: posts?.url ?? '' },
    { name: 'users', sdl: printSubgraphSchemaWithScopes(buildUsersSubgraph(quiet)), url: users?.url ?? '' },
  ]);
  const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
  const { key } = await store.createApiKey({ name: 'bench', scopes: ['posts.read', 'users.read'] });
  const context = createScopedContext({ store });
  const forward = { privateKey: keys.privateKey, issuer: 'gateway', audience: 'subgraphs', ttlMs: 60_000 };
  const withPlugin = createGatewayRuntime({ supergraph, logging: false, plugins: () => [useGatewayScopedPermissions({ context, forward })] });
  const without = createGatewayRuntime({ supergraph, logging: false });
  const body = JSON.stringify({ query: '{ posts { title author { name } } }' });
  const ask = async (runtime: typeof without) => {
    const response = await runtime.fetch('http://gateway/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
    const json = (await response.json()) as { errors?: unknown };
    if (json.errors !== undefined) throw new Error(`gateway error: ${JSON.stringify(json.errors)}`);
  };
  await ask(withPlugin);
  await ask(without);
  const samples = await alternatingRounds(
    [
      { name: 'without', run: () => ask(without) },
      { name: 'with', run: () => ask(withPlugin) },
    ],
    quick ? { batch: 20, blocks: 1, rounds: 3, warmupRounds: 1 } : { batch: 30, blocks: 3, rounds: 15 },
  );
  await Promise.all([withPlugin.dispose(), without.dispose(), context.dispose(), ...servers.map((server) => server.stop())]);
  return ratioOf(samples, 'with', 'without');
}

const subgraph = await subgraphList();
const gatewayResult = await gateway();
printTable('Federation: paired ratios (ours / baseline), median [p25..p75] (min..max)', ['case', 'wall ratio', 'cpu ratio', 'ours ms', 'baseline ms', 'goal'], [
  [`subgraph, operation mode, ${ROW_COUNT} x 5`, spread(subgraph.wall), spread(subgraph.cpu), spread(subgraph.oursMs), spread(subgraph.baseMs), '≤ 1.05'],
  ['Hive Gateway with the plugin, small cross-subgraph query', spread(gatewayResult.wall), spread(gatewayResult.cpu), spread(gatewayResult.oursMs), spread(gatewayResult.baseMs), '≤ 1.10'],
]);
printResultLine({
  script: 'federation',
  quick,
  subgraphOperationRatio: roundSummary(subgraph.wall),
  subgraphOperationCpuRatio: roundSummary(subgraph.cpu),
  gatewayRatio: roundSummary(gatewayResult.wall),
  gatewayCpuRatio: roundSummary(gatewayResult.cpu),
});

/**
 * Issue 15, finding 1: what an anonymous caller's document just past the
 * operation walk's bound (20,000 selections) costs in operation mode, as a
 * ratio to field mode's answer for the same document, over HTTP through
 * Apollo Server 5 (parse, validation, execution and the response included).
 * Before the fix every root field walked the document again when the walk
 * threw, and with a dynamic `requiredScope` every nested Query field did:
 * tens of seconds per request. The goal is a ratio of at most 1.5.
 *
 * Documents, each sent with no credentials:
 * - `flat`: 20,001 aliased root fields `aN: health` (operation mode's worst:
 *   every root field meets the guard);
 * - `nested`: 100 root fields `rN: viewer { ...F }`, F of 200 fields (20,100 selections);
 * - `viewer`: `{ viewer { hN: health × 8,000 } }` under a dynamic `requiredScope`
 *   (below the bound: every nested Query field met the guard, and walked).
 *
 * Servers run with `includeStacktraceInErrorResponses: false` (production's setting).
 * Run: `npx tsx bench/operation-bound.ts [--quick]`. Prints tables, then one JSON line.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { scopeDirective, type EnforcementMode } from '../src/index';
import { alternatingRounds, type ContenderSamples } from './lib/alternating-rounds';
import { readBenchFlags } from './lib/bench-flags';
import { printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, summarize } from './lib/stats';

const { quick } = readBenchFlags();
const PLAN = quick ? { batch: 1, blocks: 1, rounds: 3, warmupRounds: 1 } : { batch: 1, blocks: 2, rounds: 11, warmupRounds: 1 };
const GOAL = 1.5;

const typeDefs = /* GraphQL */ `
  type Post { id: ID }
  type Query { health: String viewer: Query posts: [Post!] @scope(resource: "posts") }
`;

function buildSchema(enforce: EnforcementMode, dynamic: boolean): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce, ...(dynamic ? { requiredScope: () => null } : {}) });
  return scopeDirectiveTransformer(
    makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers: { Query: { health: () => 'ok', viewer: () => ({}), posts: () => [] } } }),
  );
}

const aliased = (field: string, count: number, alias: string): string => Array.from({ length: count }, (_, index) => `${alias}${index}: ${field}`).join(' ');

const DOCUMENTS = [
  { name: 'flat', dynamic: false, query: `{ ${aliased('health', 20_001, 'a')} }` },
  { name: 'nested', dynamic: false, query: `{ ${aliased('viewer { ...F }', 100, 'r')} } fragment F on Query { ${aliased('health', 200, 'h')} }` },
  { name: 'viewer', dynamic: true, query: `{ viewer { ${aliased('health', 8000, 'h')} } }` },
] as const;

async function serve(schema: GraphQLSchema): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new ApolloServer({ schema, includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

async function post(url: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`unexpected status ${response.status}`);
}

async function main(): Promise<void> {
  console.log(`operation-bound${quick ? ' --quick (smoke check: too few rounds for conclusions)' : ''}; node ${process.version}`);
  const servers = {
    static: { field: await serve(buildSchema('field', false)), operation: await serve(buildSchema('operation', false)) },
    dynamic: { field: await serve(buildSchema('field', true)), operation: await serve(buildSchema('operation', true)) },
  };
  const rows: [string, string, string, string][] = [];
  const ratios: Record<string, ReturnType<typeof summarize>> = {};
  try {
    for (const document of DOCUMENTS) {
      const pair = document.dynamic ? servers.dynamic : servers.static;
      const body = JSON.stringify({ query: document.query });
      const samples = await alternatingRounds(
        [
          { name: 'field', run: () => post(pair.field.url, body) },
          { name: 'operation', run: () => post(pair.operation.url, body) },
        ],
        PLAN,
      );
      const series = (name: string): ContenderSamples => samples[name] ?? { wallMs: [], cpuMs: [] };
      const ratio = summarize(pairedRatios(series('operation').wallMs, series('field').wallMs));
      ratios[document.name] = ratio;
      rows.push([`${document.name} (${(document.query.length / 1024).toFixed(0)} KiB)`, spread(summarize(series('field').wallMs)), spread(summarize(series('operation').wallMs)), spread(ratio)]);
    }
  } finally {
    for (const pair of Object.values(servers)) for (const server of Object.values(pair)) await server.stop();
  }
  printTable('ms per request, anonymous, over HTTP (Apollo Server 5)', ['document', 'field mode', 'operation mode', 'operation/field (paired)'], rows);
  const worst = Math.max(...Object.values(ratios).map((ratio) => ratio.median));
  console.log(`worst median ratio ${worst.toFixed(2)} (goal <= ${GOAL})`);
  printResultLine({
    bench: 'operation-bound',
    quick,
    ok: worst <= GOAL,
    ratios: Object.fromEntries(Object.entries(ratios).map(([name, ratio]) => [name, roundSummary(ratio)])),
  });
}

void main();

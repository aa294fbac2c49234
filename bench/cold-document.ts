/**
 * Operation mode on a small query when every request brings a newly parsed
 * document (no document cache), against plain execution, as paired ratios:
 * the plan cache (per parsed operation node) never hits, so the whole
 * operation is walked and its scopes checked per request. Also the same
 * query with a document seen before (the plan cached), and two field-mode
 * rows for the cost of expressions: one scope per field next to an `anyOf`
 * of two per field.
 *
 * Each request gets a new document object: a copy of the parsed document
 * with a new operation node (what our caches and graphql-js key on), so no
 * cache sees it twice while neither contender pays for a `parse` (a `parse`
 * per request is timed apart, in the "with parse" rows).
 *
 * A control contender does the baseline's work again: its ratio to the
 * baseline shows how far this method strays on equal work.
 *
 * Run: `node --expose-gc --import tsx bench/cold-document.ts [--quick]`.
 * Prints tables, then one JSON line.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { type DocumentNode, execute, type GraphQLSchema, type OperationDefinitionNode, parse } from 'graphql';
import { type Principal, scopeDirective } from '../src/index';
import { alternatingRounds, canCollectGarbage, type Contender } from './lib/alternating-rounds';
import { readBenchFlags } from './lib/bench-flags';
import { ALL_SCOPES, buildRows, operationScopedSchema, plainSchema } from './lib/overhead-schema';
import { printResultLine, printTable, spread } from './lib/report';
import { pairedRatios, type Summary, summarize } from './lib/stats';

const GOAL_COLD_OVER_PLAIN = 1.15;
const { quick } = readBenchFlags();
const PLAN = quick ? { batch: 500, blocks: 2, rounds: 5, warmupRounds: 1 } : { batch: 1000, blocks: 5, rounds: 15, warmupRounds: 2 };

const SOURCE = '{ post { id title body views status } }';
const parsed = parse(SOURCE);
const principal: Principal = { kind: 'apiKey', id: 'bench0001', scopes: new Set(ALL_SCOPES) };

/** A document no cache has seen: the parsed one with a new document and operation node. */
function freshDocument(): DocumentNode {
  return { ...parsed, definitions: [{ ...(parsed.definitions[0] as OperationDefinitionNode) }] };
}

const rows = buildRows(1);
const plain = plainSchema(rows);
const operation = operationScopedSchema(rows);

// Field mode with one scope per field next to the same fields each needing one of two scopes.
const expressionTypeDefs = (requirement: (scope: string) => string): string => /* GraphQL */ `
  type Post { id: ID ${requirement('posts.read')} title: String ${requirement('posts.read')} body: String ${requirement('content.read')} views: Int ${requirement('stats.read')} status: String ${requirement('workflow.read')} }
  type Query { post: Post ${requirement('posts.read')} }
`;
const fieldModeSchema = (requirement: (scope: string) => string): GraphQLSchema => {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, expressionTypeDefs(requirement)], resolvers: { Query: { post: () => rows[0] } } }));
};
const single = fieldModeSchema((scope) => `@scope(resource: "${scope.split('.')[0] ?? ''}", action: "read")`);
// The principal holds the second alternative only, so every check looks at both.
const anyOfTwo = fieldModeSchema((scope) => `@scope(anyOf: ["${scope.split('.')[0] ?? ''}.moderate", "${scope}"])`);

const run = (schema: GraphQLSchema, document: () => DocumentNode): (() => unknown) => () => execute({ schema, document: document(), contextValue: { principal } });

async function main(): Promise<void> {
  console.log(`cold-document${quick ? ' --quick (smoke check: too few rounds for conclusions)' : ''}; node ${process.version}; gc between blocks: ${canCollectGarbage ? 'yes' : 'no (run with --expose-gc)'}`);
  // Pre-flight: every contender returns the same data, without errors.
  const expected = JSON.stringify(await execute({ schema: plain, document: parsed, contextValue: { principal } }));
  for (const schema of [operation, single, anyOfTwo]) {
    const got = JSON.stringify(await execute({ schema, document: freshDocument(), contextValue: { principal } }));
    if (got !== expected) throw new Error(`pre-flight: a contender returned ${got}, not ${expected}`);
  }
  const contenders: Contender[] = [
    { name: 'plain (new document)', run: run(plain, freshDocument) },
    // The same work as the first contender: its ratio to it is this method's own bias and noise.
    { name: 'plain (new document), control', run: run(plain, freshDocument) },
    { name: 'operation (new document)', run: run(operation, freshDocument) },
    { name: 'operation (document seen before)', run: run(operation, () => parsed) },
    { name: 'plain (parse + execute)', run: run(plain, () => parse(SOURCE)) },
    { name: 'operation (parse + execute)', run: run(operation, () => parse(SOURCE)) },
    { name: 'field, one scope per field', run: run(single, freshDocument) },
    { name: 'field, anyOf of two per field', run: run(anyOfTwo, freshDocument) },
  ];
  const samples = await alternatingRounds(contenders, PLAN);
  const series = (name: string) => samples[name] ?? { wallMs: [], cpuMs: [] };
  const ratio = (numerator: string, denominator: string): { wall: Summary; cpu: Summary } => ({
    wall: summarize(pairedRatios(series(numerator).wallMs, series(denominator).wallMs)),
    cpu: summarize(pairedRatios(series(numerator).cpuMs, series(denominator).cpuMs)),
  });
  printTable(
    `µs per query, ${PLAN.rounds} rounds x ${PLAN.blocks} blocks x ${PLAN.batch} queries`,
    ['contender', 'wall median [p25..p75] (min..max)', 'cpu median'],
    contenders.map(({ name }) => [name, spread(summarize(series(name).wallMs.map((ms) => ms * 1000))), Number((summarize(series(name).cpuMs).median * 1000).toFixed(2))]),
  );
  const ratios = {
    'plain/plain, control (same work)': ratio('plain (new document), control', 'plain (new document)'),
    'operation/plain, new document': ratio('operation (new document)', 'plain (new document)'),
    'operation/plain, document seen before': ratio('operation (document seen before)', 'plain (new document)'),
    'operation/plain, parse + execute': ratio('operation (parse + execute)', 'plain (parse + execute)'),
    'field anyOf of two/field one scope': ratio('field, anyOf of two per field', 'field, one scope per field'),
  };
  printTable(
    'paired ratios, round by round',
    ['ratio', 'wall median [p25..p75] (min..max)', 'cpu median'],
    Object.entries(ratios).map(([name, { wall, cpu }]) => [name, spread(wall), Number(cpu.median.toFixed(3))]),
  );
  const cold = ratios['operation/plain, new document'].wall.median;
  console.log(`goal: operation/plain with a new document per request <= ${GOAL_COLD_OVER_PLAIN}: ${cold <= GOAL_COLD_OVER_PLAIN ? 'met' : 'NOT met'} (${cold.toFixed(3)} wall)`);
  printResultLine({ bench: 'cold-document', quick, ratios: Object.fromEntries(Object.entries(ratios).map(([name, { wall, cpu }]) => [name, { wall: wall.median, cpu: cpu.median }])) });
}

void main();

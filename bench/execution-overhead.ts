/**
 * Execution overhead of the `@scope` directive, in `'field'` and in
 * `'operation'` mode, against no authorization and against graphql-shield 7 +
 * graphql-middleware, on a 10,000-row list (50,000 guarded scalar fields) and
 * on a one-object query (fixed per-request cost); and the cost of
 * `checkOperation` on a 200-field document with fragments. Run: `npx tsx bench/execution-overhead.ts [--quick]` (add
 * `node --expose-gc --import tsx` for a GC before every timed block). With
 * `--baseline=<dir>` (a checkout at another commit, `node_modules` linked in),
 * the baseline's `checkOperation` runs in the same rounds, with paired ratios.
 * Prints tables, then one JSON line.
 */
import { type DocumentNode, type GraphQLSchema, parse } from 'graphql';
import type { Principal } from '../src/index';
import { alternatingRounds, canCollectGarbage, type Contender, type ContenderSamples } from './lib/alternating-rounds';
import { readBenchFlags } from './lib/bench-flags';
import { runQuery } from './lib/overhead-checks';
import { ALL_SCOPES, buildRows, operationScopedSchema, plainSchema, type ShieldVariant, scopedSchema, shieldSchema, shieldVariantName } from './lib/overhead-schema';
import { loadBaselineCheckOperation, timeCheckOperation } from './lib/check-operation-cost';
import { type Cell, printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, type Summary, summarize } from './lib/stats';
import { verifyOverheadSetups } from './lib/verify-overhead';

const ROW_COUNT = 10_000;
const GOAL_SCOPE_OVER_PLAIN = 1.2;
const GOAL_SHIELD_OVER_SCOPE = 5;
const GOAL_OPERATION_OVER_PLAIN = 1.05;
const round3 = (value: number): number => Number(value.toFixed(3));

const { quick, baseline } = readBenchFlags();
/**
 * Per workload: operations per timed block, blocks per contender per round,
 * timed rounds, warm-up rounds; `calibration` times the shield variants
 * (fewer operations, since `strict` is several times slower than the rest).
 */
const PLAN = quick
  ? {
      list: { batch: 1, blocks: 1, rounds: 3, warmupRounds: 1, calibration: { batch: 1, blocks: 1, rounds: 1 } },
      small: { batch: 1000, blocks: 2, rounds: 5, warmupRounds: 1, calibration: { batch: 1000, blocks: 1, rounds: 1 } },
    }
  : {
      list: { batch: 1, blocks: 3, rounds: 15, warmupRounds: 2, calibration: { batch: 1, blocks: 1, rounds: 3 } },
      small: { batch: 2000, blocks: 10, rounds: 15, warmupRounds: 2, calibration: { batch: 2000, blocks: 1, rounds: 3 } },
    };

/**
 * The graphql-shield configurations tried; the fastest one on each workload
 * (all pass the same pre-flight checks) is compared with ours. `--quick`
 * tries only the two `contextual` ones, to stay short; `strict` hashes parent
 * and args for every field and is always far slower.
 */
const SHIELD_VARIANTS: readonly ShieldVariant[] = [
  { cache: 'contextual', asyncRules: false },
  { cache: 'contextual', asyncRules: true },
  ...(quick ? [] : ([{ cache: 'no_cache', asyncRules: false }, { cache: 'strict', asyncRules: false }] as const)),
];

const principal = (scopes: readonly string[]): Principal => ({ kind: 'apiKey', id: 'bench0001', name: 'bench', scopes: new Set(scopes) });
const principals = {
  allowed: principal(ALL_SCOPES),
  wildcard: principal(['*']),
  partial: principal(ALL_SCOPES.filter((scope) => scope !== 'stats.read')),
  empty: principal([]),
};

const documents: Record<'list' | 'small', DocumentNode> = {
  list: parse('{ posts { id title body views status } }'),
  small: parse('{ post { id title body views status } }'),
};

const rows = buildRows(ROW_COUNT);
const plain = plainSchema(rows);
const scope = scopedSchema(rows);
const operation = operationScopedSchema(rows);
const shields = new Map(SHIELD_VARIANTS.map((variant) => [shieldVariantName(variant), shieldSchema(rows, variant)]));

const contender = (name: string, schema: GraphQLSchema, document: DocumentNode, caller: Principal): Contender => ({
  name,
  run: () => runQuery(schema, document, caller),
});

async function main(): Promise<void> {
  console.log(`execution-overhead${quick ? ' --quick (smoke check: too few rounds for conclusions)' : ''}; node ${process.version}; gc between blocks: ${canCollectGarbage ? 'yes' : 'no (run with --expose-gc)'}`);

  const failures = await verifyOverheadSetups({ plain, scope, operation, shield: shields }, principals, documents, ROW_COUNT);
  if (failures.length > 0) {
    printTable('PRE-FLIGHT CHECKS FAILED: nothing was timed', ['check', 'problem'], failures.map((failure) => [failure.check, failure.problem]));
    printResultLine({ bench: 'execution-overhead', quick, ok: false, failures });
    process.exitCode = 1;
    return;
  }
  console.log('pre-flight: all setups return identical data to an allowed principal; ours (both modes) and every shield variant deny without scopes.');

  const results: Record<string, unknown> = {};
  const goals: Record<string, { wall: number; cpu: number; target: string; met: boolean }> = {};

  for (const workload of ['list', 'small'] as const) {
    const plan = PLAN[workload];
    const document = documents[workload];
    const describe = (rounds: number, blocks: number, batch: number): string => `${rounds} round(s) x ${blocks} block(s) x ${batch} quer${batch === 1 ? 'y' : 'ies'}`;

    // Pick graphql-shield's fastest correct configuration for this workload (by wall time).
    const calibration = await alternatingRounds(
      [...shields].map(([name, schema]) => contender(name, schema, document, principals.allowed)),
      { ...plan.calibration, warmupRounds: 1 },
    );
    const shieldSummaries = Object.entries(calibration).map(([name, series]) => [name, summarize(series.wallMs), summarize(series.cpuMs)] as const);
    const bestShield = [...shieldSummaries].sort((a, b) => a[1].median - b[1].median)[0]?.[0];
    if (bestShield === undefined) throw new Error('no shield variant was timed');
    printTable(
      `${workload}: graphql-shield variants (cache/rule style), ms per query, ${describe(plan.calibration.rounds, plan.calibration.blocks, plan.calibration.batch)}`,
      ['variant', 'wall median [p25..p75] (min..max)', 'cpu median'],
      shieldSummaries.map(([name, wall, cpu]) => [name === bestShield ? `${name} (fastest, used below)` : name, spread(wall), cpu.median]),
    );

    const samples = await alternatingRounds(
      [
        contender('plain', plain, document, principals.allowed),
        contender('scope', scope, document, principals.allowed),
        contender('scope (* grant)', scope, document, principals.wildcard),
        contender('operation', operation, document, principals.allowed),
        contender('shield', shields.get(bestShield) as GraphQLSchema, document, principals.allowed),
      ],
      plan,
    );
    const series = (name: string): ContenderSamples => samples[name] ?? { wallMs: [], cpuMs: [] };
    const ratio = (numerator: string, denominator: string): { wall: Summary; cpu: Summary } => ({
      wall: summarize(pairedRatios(series(numerator).wallMs, series(denominator).wallMs)),
      cpu: summarize(pairedRatios(series(numerator).cpuMs, series(denominator).cpuMs)),
    });
    const ratios = {
      'scope/plain': ratio('scope', 'plain'),
      'scope (* grant)/plain': ratio('scope (* grant)', 'plain'),
      'operation/plain': ratio('operation', 'plain'),
      'operation/scope': ratio('operation', 'scope'),
      'shield/plain': ratio('shield', 'plain'),
      'shield/scope': ratio('shield', 'scope'),
    };
    const summaries = Object.entries(samples).map(([name, { wallMs, cpuMs }]) => [name, summarize(wallMs), summarize(cpuMs)] as const);
    const fields = workload === 'list' ? ROW_COUNT * 5 + 1 : 6;
    printTable(
      `${workload}: ${workload === 'list' ? `${ROW_COUNT} objects` : '1 object'} x 5 guarded fields; shield = ${bestShield}; ms per query, ${describe(plan.rounds, plan.blocks, plan.batch)}, alternating`,
      ['setup', 'wall median [p25..p75] (min..max)', 'cpu median [p25..p75]', 'queries/s', 'ns/field'],
      summaries.map(([name, wall, cpu]): Cell[] => [name, spread(wall), `${cpu.median.toPrecision(4)} [${cpu.p25.toPrecision(4)}..${cpu.p75.toPrecision(4)}]`, 1000 / wall.median, (wall.median * 1e6) / fields]),
    );
    printTable(
      `${workload}: paired per-round ratios`,
      ['ratio', 'wall median [p25..p75] (min..max)', 'cpu median [p25..p75] (min..max)'],
      Object.entries(ratios).map(([name, { wall, cpu }]) => [name, spread(wall), spread(cpu)]),
    );

    results[workload] = {
      shieldVariant: bestShield,
      shieldVariantsWallMs: Object.fromEntries(shieldSummaries.map(([name, wall]) => [name, roundSummary(wall)])),
      wallMsPerQuery: Object.fromEntries(summaries.map(([name, wall]) => [name, roundSummary(wall)])),
      cpuMsPerQuery: Object.fromEntries(summaries.map(([name, , cpu]) => [name, roundSummary(cpu)])),
      ratios: Object.fromEntries(Object.entries(ratios).map(([name, { wall, cpu }]) => [name, { wall: roundSummary(wall), cpu: roundSummary(cpu) }])),
      plan: { rounds: plan.rounds, blocks: plan.blocks, batch: plan.batch, warmupRounds: plan.warmupRounds },
    };
    if (workload === 'list') {
      const { wall: scopeWall, cpu: scopeCpu } = ratios['scope/plain'];
      goals['list scope/plain'] = { wall: round3(scopeWall.median), cpu: round3(scopeCpu.median), target: `<= ${GOAL_SCOPE_OVER_PLAIN}`, met: scopeWall.median <= GOAL_SCOPE_OVER_PLAIN };
      const { wall: operationWall, cpu: operationCpu } = ratios['operation/plain'];
      goals['list operation/plain'] = { wall: round3(operationWall.median), cpu: round3(operationCpu.median), target: `<= ${GOAL_OPERATION_OVER_PLAIN}`, met: operationWall.median <= GOAL_OPERATION_OVER_PLAIN };
      const { wall: shieldWall, cpu: shieldCpu } = ratios['shield/scope'];
      goals['list shield/scope'] = { wall: round3(shieldWall.median), cpu: round3(shieldCpu.median), target: `>= ${GOAL_SHIELD_OVER_SCOPE}`, met: shieldWall.median >= GOAL_SHIELD_OVER_SCOPE };
    }
  }

  const check = await timeCheckOperation(quick, baseline === undefined ? undefined : await loadBaselineCheckOperation(baseline));
  results.checkOperation = check.result;
  goals['checkOperation, 200 fields, µs'] = check.goal;

  printTable(
    'goals (median of paired per-round ratios; judged on wall time)',
    ['goal', 'wall', 'cpu', 'target', 'met'],
    Object.entries(goals).map(([name, goal]) => [name, goal.wall, goal.cpu, goal.target, goal.met ? 'yes' : 'NO']),
  );
  printResultLine({ bench: 'execution-overhead', quick, ok: true, node: process.version, gc: canCollectGarbage, rowCount: ROW_COUNT, results, goals });
}

await main();

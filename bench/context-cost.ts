/**
 * The warm cost of `createScopedContext`'s function, in process (no HTTP),
 * by credential: none, an API key, a JWT with the group union of its
 * subject, and a session user from `getUser`. Paired, alternating rounds
 * in one run, on the memory store and on MongooseScopeStore against the
 * test database (FerretDB unless MONGODB_URI is set), with the store
 * queries the timed rounds made. Run: `npx tsx bench/context-cost.ts [--quick]`.
 * Prints tables, then one JSON line.
 */
import mongoose from 'mongoose';
import { MemoryScopeStore } from '../src/index';
import type { ScopeStore } from '../src/index';
import { MongooseScopeStore } from '../src/store/mongoose/index';
import { readBenchFlags } from './lib/bench-flags';
import { startBenchMongo } from './lib/bench-mongo';
import { measureContextCost } from './lib/context-cost';
import { type Cell, printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, summarize } from './lib/stats';

const { quick } = readBenchFlags();
const PLAN = quick ? { batch: 2000, blocks: 1, rounds: 3 } : { batch: 20_000, blocks: 2, rounds: 10 };
const GOALS = { 'jwt/apiKey': 2, 'user/apiKey': 1.5 } as const;
const HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

async function measure(label: string, store: ScopeStore): Promise<Record<string, unknown>> {
  const cost = await measureContextCost(store, PLAN);
  const modes = Object.entries(cost.samples).map(([mode, { wallMs, cpuMs }]) => ({ mode, wallUs: summarize(wallMs.map((ms) => ms * 1000)), cpuUs: summarize(cpuMs.map((ms) => ms * 1000)) }));
  printTable(
    `${label}: createScopedContext alone, warm, microseconds per call, ${PLAN.rounds} alternating rounds of ${PLAN.blocks} x ${PLAN.batch} calls per mode`,
    ['mode', 'wall us median [p25..p75] (min..max)', 'cpu us median'],
    modes.map((row): Cell[] => [row.mode, spread(row.wallUs), row.cpuUs.median]),
  );
  const apiKey = cost.samples.apiKey;
  const ratios = Object.fromEntries(
    (['jwt', 'user'] as const).map((mode) => {
      const samples = cost.samples[mode];
      if (samples === undefined || apiKey === undefined) throw new Error(`no samples for ${mode}`);
      return [`${mode}/apiKey`, { wall: summarize(pairedRatios(samples.wallMs, apiKey.wallMs)), cpu: summarize(pairedRatios(samples.cpuMs, apiKey.cpuMs)) }];
    }),
  );
  printTable(
    `${label}: paired ratios to the warm API key (per round); goals jwt <= ${GOALS['jwt/apiKey']}, user <= ${GOALS['user/apiKey']}`,
    ['ratio', 'wall median [p25..p75] (min..max)', 'cpu median', 'target', 'met'],
    Object.entries(ratios).map(([name, ratio]): Cell[] => {
      const target = GOALS[name as keyof typeof GOALS];
      return [name, spread(ratio.wall), ratio.cpu.median, `<= ${target}`, ratio.wall.median <= target ? 'yes' : 'NO'];
    }),
  );
  console.log(`${label}: store queries during the timed rounds: ${cost.queriesDuringRounds} in ${cost.calls} calls.`);
  return {
    contextCostUs: Object.fromEntries(modes.map((row) => [row.mode, { wall: roundSummary(row.wallUs), cpu: roundSummary(row.cpuUs) }])),
    ratios: Object.fromEntries(Object.entries(ratios).map(([name, ratio]) => [name, { wall: roundSummary(ratio.wall), cpu: roundSummary(ratio.cpu), target: GOALS[name as keyof typeof GOALS], met: ratio.wall.median <= GOALS[name as keyof typeof GOALS] }])),
    queriesDuringRounds: cost.queriesDuringRounds,
    calls: cost.calls,
  };
}

async function main(): Promise<void> {
  console.log(`context-cost${quick ? ' --quick (smoke check: too short for conclusions)' : ''}; node ${process.version}`);
  const memory = await measure('MemoryScopeStore', new MemoryScopeStore({ hashOptions: HASH }));
  const mongo = await startBenchMongo();
  const connection = await mongoose.createConnection(mongo.uri, { dbName: `gsp_context_cost_${Date.now()}` }).asPromise();
  let onMongo: Record<string, unknown>;
  try {
    const store = new MongooseScopeStore(connection, { hashOptions: HASH });
    await Promise.all([store.models.ScopedApiKey.init(), store.models.ScopedGroup.init(), store.models.ScopedChange.init()]);
    onMongo = await measure(`MongooseScopeStore on ${mongo.kind}`, store);
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await mongo.stop();
  }
  const queries = (memory.queriesDuringRounds as number) + (onMongo.queriesDuringRounds as number);
  printResultLine({ bench: 'context-cost', quick, ok: queries === 0, node: process.version, plan: PLAN, memory, mongoose: { database: mongo.kind, ...onMongo } });
}

await main();

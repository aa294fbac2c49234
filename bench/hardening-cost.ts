/**
 * What the hardening of issue 9 costs on the hot paths, as paired ratios in
 * one run:
 *
 * - the guard reading a `ReadOnlyScopeSet` (private-field storage, what API
 *   key, JWT and session principals now hold) against a plain `Set`, on the
 *   10,000-row list with 5 scoped fields (50,001 checks per query);
 * - the per-event re-check of a live subscription with a warm API key
 *   (`currentPrincipal` → `revalidate()` through the verifier's cache),
 *   against the check alone without a re-check (a principal without
 *   `revalidate`).
 *
 * Run: `npx tsx bench/hardening-cost.ts [--quick]`. Prints tables, then one JSON line.
 */
import { parse } from 'graphql';
import { createApiKeyVerifier, MemoryScopeStore, ReadOnlyScopeSet, type Principal } from '../src/index';
import { currentPrincipal } from '../src/principal/principal-liveness';
import { alternatingRounds, type ContenderSamples } from './lib/alternating-rounds';
import { readBenchFlags } from './lib/bench-flags';
import { runQuery } from './lib/overhead-checks';
import { ALL_SCOPES, buildRows, plainSchema, scopedSchema } from './lib/overhead-schema';
import { printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, summarize } from './lib/stats';

const { quick } = readBenchFlags();
const PLAN = quick
  ? { list: { batch: 1, blocks: 1, rounds: 3, warmupRounds: 1 }, events: { batch: 20_000, blocks: 1, rounds: 3, warmupRounds: 1 } }
  : { list: { batch: 1, blocks: 3, rounds: 21, warmupRounds: 2 }, events: { batch: 100_000, blocks: 3, rounds: 21, warmupRounds: 2 } };

async function main(): Promise<void> {
  console.log(`hardening-cost${quick ? ' --quick (smoke check: too few rounds for conclusions)' : ''}; node ${process.version}`);
  const rows = buildRows(10_000);
  const document = parse('{ posts { id title body views status } }');
  const plain = plainSchema(rows);
  const scoped = scopedSchema(rows);
  const withSet: Principal = { kind: 'apiKey', id: 'bench0001', scopes: new Set(ALL_SCOPES) };
  const withReadOnly: Principal = Object.freeze({ kind: 'apiKey', id: 'bench0001', scopes: new ReadOnlyScopeSet(ALL_SCOPES) });
  for (const principal of [withSet, withReadOnly]) {
    const result = await runQuery(scoped, document, principal);
    if (result.errors !== undefined || (result.data?.posts as unknown[]).length !== rows.length) throw new Error('pre-flight: the scoped query must pass for both principals');
  }

  const list = await alternatingRounds(
    [
      { name: 'plain', run: () => runQuery(plain, document, withSet) },
      { name: 'scope, Set', run: () => runQuery(scoped, document, withSet) },
      { name: 'scope, ReadOnlyScopeSet', run: () => runQuery(scoped, document, withReadOnly) },
    ],
    PLAN.list,
  );

  const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
  const { key } = await store.createApiKey({ name: 'bench', scopes: ['posts.read'] });
  const verifier = createApiKeyVerifier(store, { cacheTtlMs: 3_600_000 });
  const verified = await verifier.verify(key);
  if (!verified.ok) throw new Error('pre-flight: the bench key must verify');
  const live = verified.principal;
  const { revalidate: _dropped, ...withoutRevalidate } = live;
  const lookupsBefore = verifier.stats().storeLookups;
  const events = await alternatingRounds(
    [
      { name: 'event check, no revalidate', run: () => currentPrincipal(withoutRevalidate) },
      { name: 'event check, warm API key', run: () => currentPrincipal(live) },
    ],
    PLAN.events,
  );
  const warmLookups = verifier.stats().storeLookups - lookupsBefore;
  await verifier.dispose();

  const series = (samples: Record<string, ContenderSamples>, name: string): ContenderSamples => samples[name] ?? { wallMs: [], cpuMs: [] };
  const ratio = (samples: Record<string, ContenderSamples>, a: string, b: string) => ({
    wall: summarize(pairedRatios(series(samples, a).wallMs, series(samples, b).wallMs)),
    cpu: summarize(pairedRatios(series(samples, a).cpuMs, series(samples, b).cpuMs)),
  });
  const ratios = {
    'ReadOnlyScopeSet/Set (list)': ratio(list, 'scope, ReadOnlyScopeSet', 'scope, Set'),
    'scope Set/plain (list)': ratio(list, 'scope, Set', 'plain'),
    'scope ReadOnlyScopeSet/plain (list)': ratio(list, 'scope, ReadOnlyScopeSet', 'plain'),
    'warm revalidate/none (per event)': ratio(events, 'event check, warm API key', 'event check, no revalidate'),
  };
  printTable(
    'ms per operation (list: one query of 10,000 rows x 5 fields; events: one check)',
    ['contender', 'wall median [p25..p75] (min..max)'],
    [...Object.entries(list), ...Object.entries(events)].map(([name, samples]) => [name, spread(summarize(samples.wallMs))]),
  );
  printTable('paired per-round ratios', ['ratio', 'wall median [p25..p75] (min..max)', 'cpu median [p25..p75] (min..max)'], Object.entries(ratios).map(([name, { wall, cpu }]) => [name, spread(wall), spread(cpu)]));
  const perEventUs = summarize(series(events, 'event check, warm API key').wallMs).median * 1000;
  console.log(`warm per-event re-check: ${perEventUs.toFixed(3)} µs; store lookups during ${PLAN.events.batch * PLAN.events.blocks * (PLAN.events.rounds + PLAN.events.warmupRounds)} warm re-checks: ${warmLookups}`);
  printResultLine({
    bench: 'hardening-cost',
    quick,
    ok: warmLookups === 0,
    ratios: Object.fromEntries(Object.entries(ratios).map(([name, { wall, cpu }]) => [name, { wall: roundSummary(wall), cpu: roundSummary(cpu) }])),
    warmPerEventUs: Number(perEventUs.toFixed(3)),
    warmLookups,
  });
}

void main();

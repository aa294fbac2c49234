/**
 * HTTP cost of per-scope rate limits (`createScopedContext({ rateLimits })`):
 * Apollo Server 5 servers in child processes, loaded by autocannon in
 * alternating rounds with an API key on `{ greeting }` (scope
 * `greetings.read`):
 *
 * - `none`: no rate limits (the baseline);
 * - `untouched`: a limit on another scope, which the query never selects
 *   (goal: paired ratio ≥ 0.98, i.e. a cost ≤ 1.02);
 * - `memory`: a limit on `greetings.read`, counted in memory (goal ≥ 1/1.10);
 * - `mongo`: the same limit counted in MongoDB (FerretDB unless MONGODB_URI
 *   is set), reported as measured; `--memory-only` skips it.
 *
 * Rates are high enough never to refuse. Run: `npx tsx bench/rate-limits.ts [--quick] [--memory-only]`.
 */
import autocannon from 'autocannon';
import { readBenchFlags } from './lib/bench-flags';
import { type BenchMongo, startBenchMongo } from './lib/bench-mongo';
import { type AuthBenchServer, keepAliveAgent, postGraphql, startAuthBenchServer } from './lib/auth-bench-client';
import { printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, summarize } from './lib/stats';

const { quick } = readBenchFlags();
const PLAN = quick ? { durationSec: 1, rounds: 2, warmupSec: 1, connections: 10 } : { durationSec: 3, rounds: 8, warmupSec: 2, connections: 10 };
const QUERY = '{ greeting }';
const NEVER = '1000000000/s';
const GOALS: Readonly<Record<string, number>> = { untouched: 1 / 1.02, memory: 1 / 1.1 };

async function rps(server: AuthBenchServer, durationSec: number): Promise<{ rps: number; failures: number }> {
  const result = await autocannon({
    url: server.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey },
    body: JSON.stringify({ query: QUERY }),
    connections: PLAN.connections,
    duration: durationSec,
  });
  return { rps: result['2xx'] / result.duration, failures: result.non2xx + result.errors + result.timeouts };
}

async function main(): Promise<void> {
  console.log(`rate-limits${quick ? ' --quick (smoke check: too short for conclusions)' : ''}; node ${process.version}; ${PLAN.connections} connections, ${PLAN.durationSec} s per run, ${PLAN.rounds} alternating rounds`);
  const withMongo = !process.argv.includes('--memory-only');
  let mongo: BenchMongo | undefined;
  const servers: Record<string, AuthBenchServer> = {};
  try {
    servers.none = await startAuthBenchServer();
    servers.untouched = await startAuthBenchServer({ rateLimits: { 'reports.export': NEVER } });
    servers.memory = await startAuthBenchServer({ rateLimits: { 'greetings.read': NEVER } });
    if (withMongo) {
      mongo = await startBenchMongo();
      servers.mongo = await startAuthBenchServer({ rateLimits: { 'greetings.read': NEVER }, rateLimitMongo: { uri: mongo.uri, dbName: `gsp_rate_limits_${Date.now()}` } });
    }
    const names = Object.keys(servers);
    const agent = keepAliveAgent(1);
    for (const name of names) {
      const answer = await postGraphql((servers[name] as AuthBenchServer).url, QUERY, { 'x-api-key': (servers[name] as AuthBenchServer).apiKey }, agent);
      if (answer.status !== 200 || !answer.body.includes('"greeting":"hello"')) throw new Error(`pre-flight: ${name} answered ${answer.status} ${answer.body.slice(0, 120)}`);
    }
    agent.destroy();
    for (const name of names) await rps(servers[name] as AuthBenchServer, PLAN.warmupSec);
    const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    let failures = 0;
    for (let round = 0; round < PLAN.rounds; round += 1) {
      for (let offset = 0; offset < names.length; offset += 1) {
        const name = names[(round + offset) % names.length] as string;
        const measured = await rps(servers[name] as AuthBenchServer, PLAN.durationSec);
        samples[name]?.push(measured.rps);
        failures += measured.failures;
      }
    }
    const rows = names.map((name) => ({ name, rps: summarize(samples[name] ?? []), ratio: summarize(pairedRatios(samples[name] ?? [], samples.none ?? [])) }));
    printTable(`HTTP POST ${QUERY} with an API key: requests/s, and per-round paired ratio to "none" (cost = 1 / ratio)`, ['server', 'req/s median [p25..p75] (min..max)', 'req/s x none (paired)', 'cost x none', 'goal'], rows.map((row) => [row.name, spread(row.rps), spread(row.ratio), (1 / row.ratio.median).toFixed(3), GOALS[row.name] === undefined ? '-' : `cost <= ${(1 / (GOALS[row.name] as number)).toFixed(2)}: ${row.ratio.median >= (GOALS[row.name] as number) ? 'met' : 'NOT met'}`]));
    if (failures > 0) process.exitCode = 1;
    printResultLine({ bench: 'rate-limits', quick, ok: failures === 0, node: process.version, plan: PLAN, database: mongo?.kind ?? null, servers: Object.fromEntries(rows.map((row) => [row.name, { rps: roundSummary(row.rps), ratioToNone: roundSummary(row.ratio) }])) });
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    await mongo?.stop();
  }
}

await main();

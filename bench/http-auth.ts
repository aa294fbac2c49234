/**
 * HTTP cost of authentication: Apollo Server 5 with `createScopedContext`, a
 * trivial query, loaded by autocannon in alternating rounds with no
 * credentials, a (warm-cache) API key, and an HS256 JWT whose subject is in
 * a group. The server runs in a child process on a free loopback port, once
 * on a MemoryScopeStore and once on a MongooseScopeStore against the test
 * database (FerretDB unless MONGODB_URI is set; `--memory-only` skips it).
 * Run: `npx tsx bench/http-auth.ts [--quick] [--memory-only]`.
 * Prints tables, then one JSON line. The in-process context cost is
 * `bench/context-cost.ts`.
 */
import autocannon, { type AutocannonResult } from 'autocannon';
import { readBenchFlags } from './lib/bench-flags';
import { startBenchMongo } from './lib/bench-mongo';
import { type AuthBenchServer, keepAliveAgent, postGraphql, startAuthBenchServer } from './lib/auth-bench-client';
import { type Cell, printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, summarize } from './lib/stats';

const GOALS = { apiKey: 0.95, jwt: 0.9 } as const;
const { quick } = readBenchFlags();
/** Seconds per autocannon run, timed rounds, warm-up seconds per mode, connections. */
const PLAN = quick ? { durationSec: 1, rounds: 2, warmupSec: 1, connections: 10 } : { durationSec: 3, rounds: 10, warmupSec: 3, connections: 10 };
const QUERY = '{ whoami }';

type Mode = 'none' | 'apiKey' | 'jwt';
const MODES: readonly Mode[] = ['none', 'apiKey', 'jwt'];

function headersFor(mode: Mode, server: AuthBenchServer): Record<string, string> {
  if (mode === 'apiKey') return { 'x-api-key': server.apiKey };
  if (mode === 'jwt') return { authorization: `Bearer ${server.jwt}` };
  return {};
}

/** Checks each mode authenticates as expected before anything is timed; returns the problems. */
async function preflight(server: AuthBenchServer): Promise<string[]> {
  const agent = keepAliveAgent(1);
  const problems: string[] = [];
  const expectKind: Record<Mode, string> = { none: 'anonymous', apiKey: 'apiKey', jwt: 'jwt' };
  for (const mode of MODES) {
    const who = await postGraphql(server.url, QUERY, headersFor(mode, server), agent);
    if (who.status !== 200 || !who.body.includes(`"whoami":"${expectKind[mode]}"`)) problems.push(`${mode}: whoami answered ${who.status} ${who.body.slice(0, 120)}`);
    const greeting = await postGraphql(server.url, '{ greeting }', headersFor(mode, server), agent);
    const allowed = greeting.body.includes('"greeting":"hello"');
    if (mode === 'none' ? allowed || !greeting.body.includes('UNAUTHENTICATED') : !allowed) problems.push(`${mode}: greeting answered ${greeting.status} ${greeting.body.slice(0, 120)}`);
  }
  const wrong = await postGraphql(server.url, QUERY, { 'x-api-key': `${server.apiKey.slice(0, -8)}AAAAAAAA` }, agent);
  if (wrong.status !== 401) problems.push(`a corrupted key answered ${wrong.status}, not 401`);
  agent.destroy();
  return problems;
}

function load(server: AuthBenchServer, mode: Mode, durationSec: number): Promise<AutocannonResult> {
  return autocannon({
    url: server.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headersFor(mode, server) },
    body: JSON.stringify({ query: QUERY }),
    connections: PLAN.connections,
    duration: durationSec,
    pipelining: 1,
    timeout: 10,
  });
}

interface ModeSamples {
  rps: number[];
  /** Server CPU time per answered request, in microseconds: not charged for other processes' use of the core. */
  cpuUsPerRequest: number[];
  p50: number[];
  p99: number[];
  failures: number;
}

/** One full run (pre-flight, warm-up, alternating rounds) against one server; returns the JSON result, or the problems. */
async function runOn(label: string, server: AuthBenchServer): Promise<Record<string, unknown>> {
  const problems = await preflight(server);
  if (problems.length > 0) {
    printTable(`${label}: PRE-FLIGHT CHECKS FAILED: nothing was timed`, ['problem'], problems.map((problem) => [problem]));
    return { ok: false, problems };
  }
  console.log('pre-flight: no credentials -> anonymous, API key -> apiKey, JWT -> jwt; scoped field allowed with credentials only; corrupted key -> 401.');

  for (const mode of MODES) await load(server, mode, PLAN.warmupSec);
  const before = await server.stats();
  const empty = (): ModeSamples => ({ rps: [], cpuUsPerRequest: [], p50: [], p99: [], failures: 0 });
  const samples: Record<Mode, ModeSamples> = { none: empty(), apiKey: empty(), jwt: empty() };
  for (let round = 0; round < PLAN.rounds; round += 1) {
    for (let offset = 0; offset < MODES.length; offset += 1) {
      const mode = MODES[(round + offset) % MODES.length] as Mode;
      const cpuBefore = await server.cpuMicros();
      const result = await load(server, mode, PLAN.durationSec);
      const cpuAfter = await server.cpuMicros();
      const series = samples[mode];
      series.rps.push(result['2xx'] / result.duration);
      series.cpuUsPerRequest.push((cpuAfter - cpuBefore) / Math.max(1, result['2xx']));
      series.p50.push(result.latency.p50);
      series.p99.push(result.latency.p99);
      series.failures += result.non2xx + result.errors + result.timeouts;
    }
  }
  const after = await server.stats();

  const rows = MODES.map((mode) => {
    const series = samples[mode];
    return {
      mode,
      rps: summarize(series.rps),
      cpuUs: summarize(series.cpuUsPerRequest),
      p50: summarize(series.p50),
      p99: summarize(series.p99),
      failures: series.failures,
      ratio: summarize(pairedRatios(series.rps, samples.none.rps)),
      // Throughput-equivalent from server CPU: none's CPU per request over this mode's (1 = free).
      cpuRatio: summarize(pairedRatios(samples.none.cpuUsPerRequest, series.cpuUsPerRequest)),
    };
  });
  printTable(
    `${label}: HTTP POST ${QUERY}, requests/s and latency (ms) per mode; per-round paired ratio of requests/s to "none"`,
    ['mode', 'req/s median [p25..p75] (min..max)', 'p50 ms', 'p99 ms', 'req/s x none (paired)', 'server cpu us/req', 'cpu-equivalent x none', 'non-2xx/errors'],
    rows.map((row): Cell[] => [row.mode, spread(row.rps), row.p50.median, row.p99.median, spread(row.ratio), row.cpuUs.median, `${row.cpuRatio.median.toFixed(3)} [${row.cpuRatio.p25.toFixed(3)}..${row.cpuRatio.p75.toFixed(3)}]`, row.failures]),
  );
  const verificationsDuringRuns = after.verifications - before.verifications;
  console.log(`argon2 verifications during the timed runs: ${verificationsDuringRuns} (the key's cache entry lives cacheTtlMs = 30 s; then one request re-checks it against the store, without argon2).`);

  const noneRps = rows.find((row) => row.mode === 'none')?.rps.median ?? Number.NaN;
  console.log(`one "none" HTTP request costs about ${(1e6 / noneRps).toFixed(0)} us of server time at ${noneRps.toFixed(0)} req/s; compare the in-process context costs of bench/context-cost.ts.`);

  const failures = rows.reduce((sum, row) => sum + row.failures, 0);
  const goals = Object.fromEntries(
    (['apiKey', 'jwt'] as const).map((mode) => {
      const row = rows.find((candidate) => candidate.mode === mode);
      const value = row?.ratio.median ?? 0;
      return [`${mode}/none req/s`, { value: Number(value.toFixed(3)), cpuEquivalent: Number((row?.cpuRatio.median ?? 0).toFixed(3)), target: `>= ${GOALS[mode]}`, met: value >= GOALS[mode] }];
    }),
  );
  printTable(
    `${label}: goals (judged on measured req/s; the cpu-equivalent ratio is the noise-resistant cross-check)`,
    ['goal', 'req/s ratio', 'cpu-equivalent', 'target', 'met'],
    Object.entries(goals).map(([name, goal]) => [name, goal.value, goal.cpuEquivalent, goal.target, goal.met ? 'yes' : 'NO']),
  );
  return {
    ok: failures === 0,
    modes: Object.fromEntries(rows.map((row) => [row.mode, { rps: roundSummary(row.rps), serverCpuUsPerRequest: roundSummary(row.cpuUs), cpuEquivalentRatioToNone: roundSummary(row.cpuRatio), p50Ms: roundSummary(row.p50), p99Ms: roundSummary(row.p99), ratioToNone: roundSummary(row.ratio), failures: row.failures }])),
    verificationsDuringRuns,
    goals,
  };
}

async function main(): Promise<void> {
  console.log(`http-auth${quick ? ' --quick (smoke check: too short for conclusions)' : ''}; node ${process.version}; ${PLAN.connections} connections, ${PLAN.durationSec} s per run, ${PLAN.rounds} alternating rounds`);
  const results: Record<string, Record<string, unknown>> = {};
  const memoryServer = await startAuthBenchServer();
  try {
    results.memory = await runOn('MemoryScopeStore', memoryServer);
  } finally {
    await memoryServer.stop();
  }
  if (!process.argv.includes('--memory-only')) {
    const mongo = await startBenchMongo();
    try {
      const server = await startAuthBenchServer({ mongo: { uri: mongo.uri, dbName: `gsp_http_auth_${Date.now()}` } });
      try {
        results.mongoose = { database: mongo.kind, ...(await runOn(`MongooseScopeStore on ${mongo.kind}`, server)) };
      } finally {
        await server.stop();
      }
    } finally {
      await mongo.stop();
    }
  }
  const ok = Object.values(results).every((result) => result.ok === true);
  if (!ok) process.exitCode = 1;
  printResultLine({ bench: 'http-auth', quick, ok, node: process.version, plan: PLAN, ...results });
}

await main();

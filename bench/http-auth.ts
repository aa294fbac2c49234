/**
 * HTTP cost of authentication: Apollo Server 5 with `createScopedContext`, a
 * trivial query, loaded by autocannon in alternating rounds with no
 * credentials, a (warm-cache) API key, and an HS256 JWT. The server runs in a
 * child process on a free loopback port. Run: `npx tsx bench/http-auth.ts [--quick]`.
 * Prints tables, then one JSON line.
 */
import autocannon, { type AutocannonResult } from 'autocannon';
import { readBenchFlags } from './lib/bench-flags';
import { measureContextCost } from './lib/context-cost';
import { type AuthBenchServer, keepAliveAgent, postGraphql, startAuthBenchServer } from './lib/auth-bench-client';
import { type Cell, printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, summarize } from './lib/stats';

const GOAL_API_KEY_OVER_NONE = 0.95;
const { quick } = readBenchFlags();
/** Seconds per autocannon run, timed rounds, warm-up seconds per mode, connections. */
const PLAN = quick ? { durationSec: 1, rounds: 2, warmupSec: 1, connections: 10 } : { durationSec: 3, rounds: 10, warmupSec: 3, connections: 10 };
/** The in-process context function timing: calls per block, blocks per round, rounds. */
const CONTEXT_PLAN = quick ? { batch: 2000, blocks: 1, rounds: 3 } : { batch: 20_000, blocks: 2, rounds: 10 };
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

async function main(): Promise<void> {
  console.log(`http-auth${quick ? ' --quick (smoke check: too short for conclusions)' : ''}; node ${process.version}; ${PLAN.connections} connections, ${PLAN.durationSec} s per run, ${PLAN.rounds} alternating rounds`);
  const server = await startAuthBenchServer();
  try {
    const problems = await preflight(server);
    if (problems.length > 0) {
      printTable('PRE-FLIGHT CHECKS FAILED: nothing was timed', ['problem'], problems.map((problem) => [problem]));
      printResultLine({ bench: 'http-auth', quick, ok: false, problems });
      process.exitCode = 1;
      return;
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
      `HTTP POST ${QUERY}, requests/s and latency (ms) per mode; per-round paired ratio of requests/s to "none"`,
      ['mode', 'req/s median [p25..p75] (min..max)', 'p50 ms', 'p99 ms', 'req/s x none (paired)', 'server cpu us/req', 'cpu-equivalent x none', 'non-2xx/errors'],
      rows.map((row): Cell[] => [row.mode, spread(row.rps), row.p50.median, row.p99.median, spread(row.ratio), row.cpuUs.median, `${row.cpuRatio.median.toFixed(3)} [${row.cpuRatio.p25.toFixed(3)}..${row.cpuRatio.p75.toFixed(3)}]`, row.failures]),
    );
    const verificationsDuringRuns = after.verifications - before.verifications;
    console.log(`argon2 verifications during the timed runs: ${verificationsDuringRuns} (the key's cache entry lives cacheTtlMs = 30 s; then one request re-checks it against the store, without argon2).`);

    const contextCost = await measureContextCost(CONTEXT_PLAN);
    const contextRows = Object.entries(contextCost).map(([mode, { wallMs, cpuMs }]) => ({ mode, wallUs: summarize(wallMs.map((ms) => ms * 1000)), cpuUs: summarize(cpuMs.map((ms) => ms * 1000)) }));
    printTable(
      `createScopedContext alone, in process (no HTTP; API key cache warm), microseconds per call, ${CONTEXT_PLAN.rounds} alternating rounds`,
      ['mode', 'wall us median [p25..p75] (min..max)', 'cpu us median'],
      contextRows.map((row): Cell[] => [row.mode, spread(row.wallUs), row.cpuUs.median]),
    );
    const noneRps = rows.find((row) => row.mode === 'none')?.rps.median ?? Number.NaN;
    console.log(`one "none" HTTP request costs about ${(1e6 / noneRps).toFixed(0)} us of server time at ${noneRps.toFixed(0)} req/s; compare the context costs above.`);

    const apiKeyRatio = rows.find((row) => row.mode === 'apiKey')?.ratio.median ?? 0;
    const failures = rows.reduce((sum, row) => sum + row.failures, 0);
    const apiKeyCpuRatio = rows.find((row) => row.mode === 'apiKey')?.cpuRatio.median ?? 0;
    const goals = { 'apiKey/none req/s': { value: Number(apiKeyRatio.toFixed(3)), cpuEquivalent: Number(apiKeyCpuRatio.toFixed(3)), target: `>= ${GOAL_API_KEY_OVER_NONE}`, met: apiKeyRatio >= GOAL_API_KEY_OVER_NONE } };
    printTable(
      'goals (judged on measured req/s; the cpu-equivalent ratio is the noise-resistant cross-check)',
      ['goal', 'req/s ratio', 'cpu-equivalent', 'target', 'met'],
      Object.entries(goals).map(([name, goal]) => [name, goal.value, goal.cpuEquivalent, goal.target, goal.met ? 'yes' : 'NO']),
    );
    if (failures > 0) process.exitCode = 1;
    printResultLine({
      bench: 'http-auth',
      quick,
      ok: failures === 0,
      node: process.version,
      plan: PLAN,
      modes: Object.fromEntries(rows.map((row) => [row.mode, { rps: roundSummary(row.rps), serverCpuUsPerRequest: roundSummary(row.cpuUs), cpuEquivalentRatioToNone: roundSummary(row.cpuRatio), p50Ms: roundSummary(row.p50), p99Ms: roundSummary(row.p99), ratioToNone: roundSummary(row.ratio), failures: row.failures }])),
      verificationsDuringRuns,
      contextCostUs: Object.fromEntries(contextRows.map((row) => [row.mode, { wall: roundSummary(row.wallUs), cpu: roundSummary(row.cpuUs) }])),
      goals,
    });
  } finally {
    await server.stop();
  }
}

await main();

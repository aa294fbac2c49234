/**
 * Cold API keys and abuse: the cost of one argon2id verification with our
 * defaults; single flight (100 concurrent first uses of a new key make one
 * verification), in process and over HTTP; and a flood of well-formed keys
 * with wrong secrets for a real key id, against the valid key's latency and
 * the argon2 concurrency cap. Loopback only; every loop is bounded.
 * Run: `npx tsx bench/cold-keys.ts [--quick]`. Prints tables, then one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { MemoryScopeStore, createApiKeyVerifier, DEFAULT_HASH_OPTIONS } from '../src/index';
import { hashSecret, verifySecret } from '../src/keys/hash-secret';
import { randomBase62 } from '../src/keys/base62';
import { type AuthBenchServer, keepAliveAgent, postGraphql, startAuthBenchServer } from './lib/auth-bench-client';
import type { AuthBenchServerConfig } from './lib/auth-bench-protocol';
import { readBenchFlags } from './lib/bench-flags';
import { forgeWrongKey } from './lib/forge-wrong-key';
import { openLoopStream } from './lib/open-loop-stream';
import { type Cell, printResultLine, printTable, roundSummary, spread } from './lib/report';
import { type Summary, summarize } from './lib/stats';

const GOAL_FLOOD_P99_RATIO = 2;
const { quick } = readBenchFlags();
const PLAN = quick
  ? { argon2Runs: 5, singleFlightTrials: 2, concurrentFirstUses: 100, floodRequests: 200, floodSockets: 100, floodRounds: 1, baselineMs: 1500, validIntervalMs: 10, floodMaxMs: 60_000, whatIfs: false }
  : { argon2Runs: 20, singleFlightTrials: 5, concurrentFirstUses: 100, floodRequests: 2000, floodSockets: 500, floodRounds: 2, baselineMs: 5000, validIntervalMs: 10, floodMaxMs: 120_000, whatIfs: true };

async function argon2Timing(): Promise<Summary> {
  const secret = randomBase62(30);
  const hash = await hashSecret(secret);
  const samples: number[] = [];
  for (let run = -2; run < PLAN.argon2Runs; run += 1) {
    const start = performance.now();
    const ok = await verifySecret(hash, secret);
    const elapsed = performance.now() - start;
    if (!ok) throw new Error('argon2 verification of the right secret failed');
    if (run >= 0) samples.push(elapsed);
  }
  return summarize(samples);
}

interface SingleFlightTrial {
  readonly via: string;
  readonly verifications: number;
  readonly joins: number;
  readonly allOk: boolean;
  readonly elapsedMs: number;
}

async function singleFlightInProcess(): Promise<SingleFlightTrial[]> {
  const store = new MemoryScopeStore();
  const verifier = createApiKeyVerifier(store);
  const trials: SingleFlightTrial[] = [];
  for (let trial = 0; trial < PLAN.singleFlightTrials; trial += 1) {
    const { key } = await store.createApiKey({ name: `cold ${trial}`, scopes: ['greetings.read'] });
    const before = verifier.stats();
    const start = performance.now();
    const results = await Promise.all(Array.from({ length: PLAN.concurrentFirstUses }, () => verifier.verify(key)));
    const elapsedMs = performance.now() - start;
    const after = verifier.stats();
    trials.push({
      via: 'verifier.verify',
      verifications: after.verifications - before.verifications,
      joins: after.singleFlightJoins - before.singleFlightJoins,
      allOk: results.every((result) => result.ok),
      elapsedMs,
    });
  }
  await verifier.dispose();
  return trials;
}

/** 100 concurrent HTTP requests with the server's key, which nothing has used yet. Run first. */
async function singleFlightOverHttp(server: AuthBenchServer): Promise<SingleFlightTrial> {
  const agent = keepAliveAgent(PLAN.concurrentFirstUses);
  const before = await server.stats();
  const start = performance.now();
  const outcomes = await Promise.all(Array.from({ length: PLAN.concurrentFirstUses }, () => postGraphql(server.url, '{ greeting }', { 'x-api-key': server.apiKey }, agent)));
  const elapsedMs = performance.now() - start;
  const after = await server.stats();
  agent.destroy();
  return {
    via: 'HTTP (createScopedContext)',
    verifications: after.verifications - before.verifications,
    joins: after.singleFlightJoins - before.singleFlightJoins,
    allOk: outcomes.every((outcome) => outcome.status === 200 && outcome.body.includes('"greeting":"hello"')),
    elapsedMs,
  };
}

/** Latency percentiles; `p99` is the 0.99-quantile (not in {@link Summary}). */
type LatencySummary = Summary & { readonly p99: number };

interface FloodRound {
  readonly baseline: LatencySummary;
  readonly duringFlood: LatencySummary;
  readonly p99Ratio: number;
  readonly validFailures: number;
  readonly floodStatuses: Record<string, number>;
  readonly floodDurationMs: number;
  readonly validReverifications: number;
}

async function floodRound(server: AuthBenchServer): Promise<FloodRound> {
  const validAgent = keepAliveAgent(16);
  const floodAgent = keepAliveAgent(PLAN.floodSockets);
  const sendValid = (): ReturnType<typeof postGraphql> => postGraphql(server.url, '{ greeting }', { 'x-api-key': server.apiKey }, validAgent);
  const wrongKeys = Array.from({ length: PLAN.floodRequests }, () => forgeWrongKey(server.keyPrefix, server.keyId));
  try {
    await sendValid(); // the valid key is in the cache from here on (until its TTL)
    const baseline = await openLoopStream({ send: sendValid, intervalMs: PLAN.validIntervalMs, until: new Promise(() => undefined), maxMs: PLAN.baselineMs });

    const before = await server.stats();
    const floodStart = performance.now();
    const floodStatuses: Record<string, number> = {};
    const flood = Promise.all(
      wrongKeys.map((key) =>
        postGraphql(server.url, '{ whoami }', { 'x-api-key': key }, floodAgent).then(
          (outcome) => {
            floodStatuses[outcome.status] = (floodStatuses[outcome.status] ?? 0) + 1;
          },
          () => {
            floodStatuses.error = (floodStatuses.error ?? 0) + 1;
          },
        ),
      ),
    );
    const during = await openLoopStream({ send: sendValid, intervalMs: PLAN.validIntervalMs, until: flood, maxMs: PLAN.floodMaxMs });
    await flood;
    const floodDurationMs = performance.now() - floodStart;
    const after = await server.stats();

    const baselineSummary = summarizeLatencies(baseline.latenciesMs);
    const duringSummary = summarizeLatencies(during.latenciesMs);
    return {
      baseline: baselineSummary,
      duringFlood: duringSummary,
      p99Ratio: duringSummary.p99 / baselineSummary.p99,
      validFailures: baseline.failures + during.failures,
      floodStatuses,
      floodDurationMs,
      // Every wrong key that got its 401 cost one verification; any extra one re-verified the valid key.
      validReverifications: after.verifications - before.verifications - (floodStatuses['401'] ?? 0),
    };
  } finally {
    validAgent.destroy();
    floodAgent.destroy();
  }
}

/** What-if verifier settings (never the defaults) that the full run also floods, one round each. */
const WHAT_IFS: readonly { readonly label: string; readonly config: AuthBenchServerConfig }[] = [
  { label: 'what-if cap 1', config: { maxConcurrentVerifications: 1 } },
  { label: 'what-if cacheTtlMs 10 min', config: { cacheTtlMs: 600_000 } },
  { label: 'what-if cap 1 + cacheTtlMs 10 min', config: { maxConcurrentVerifications: 1, cacheTtlMs: 600_000 } },
];

/** One flood round against a fresh server with `config`. */
async function floodWhatIf(config: AuthBenchServerConfig): Promise<{ round: FloodRound; peakInFlight: number }> {
  const server = await startAuthBenchServer(config);
  try {
    const round = await floodRound(server);
    return { round, peakInFlight: (await server.stats()).peakInFlight };
  } finally {
    await server.stop();
  }
}

function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
  return { ...summarize(latenciesMs), p99 };
}

async function main(): Promise<void> {
  console.log(`cold-keys${quick ? ' --quick (smoke check: smaller flood)' : ''}; node ${process.version}; argon2id m=${DEFAULT_HASH_OPTIONS.memoryCost} KiB t=${DEFAULT_HASH_OPTIONS.timeCost} p=${DEFAULT_HASH_OPTIONS.parallelism}`);
  const server = await startAuthBenchServer();
  try {
    const httpTrial = await singleFlightOverHttp(server);
    const argon2 = await argon2Timing();
    printTable(`one argon2id verification (default parameters), ${PLAN.argon2Runs} sequential runs after 2 warm-up`, ['ms median [p25..p75] (min..max)'], [[spread(argon2)]]);

    const trials = [httpTrial, ...(await singleFlightInProcess())];
    printTable(
      `single flight: ${PLAN.concurrentFirstUses} concurrent first uses of a new key`,
      ['via', 'argon2 verifications', 'joined in flight', 'all allowed', 'ms for all'],
      trials.map((trial): Cell[] => [trial.via, trial.verifications, trial.joins, trial.allOk ? 'yes' : 'NO', trial.elapsedMs]),
    );

    const rounds: FloodRound[] = [];
    for (let round = 0; round < PLAN.floodRounds; round += 1) rounds.push(await floodRound(server));
    const stats = await server.stats();
    // What-ifs, not defaults: to tell the causes of a slow valid key apart.
    const whatIfs = [];
    for (const whatIf of PLAN.whatIfs ? WHAT_IFS : []) whatIfs.push({ ...whatIf, ...(await floodWhatIf(whatIf.config)) });
    const floodRows = [
      ...rounds.map((round, index) => ({ label: `defaults (cap ${server.maxConcurrentVerifications}, TTL 30 s), round ${index + 1}`, round })),
      ...whatIfs.map((whatIf) => ({ label: `${whatIf.label} (peak ${whatIf.peakInFlight})`, round: whatIf.round })),
    ];
    printTable(
      `flood: ${PLAN.floodRequests} well-formed keys with wrong secrets for the real key id (${PLAN.floodSockets} sockets), while a valid key sends a request every ${PLAN.validIntervalMs} ms`,
      ['run', 'valid p50 / p99 / max ms, no flood', 'valid p50 / p99 / max ms, during flood', 'p99 ratio', 'flood statuses', 'flood s', 'valid-key re-verifications'],
      floodRows.map(({ label, round }): Cell[] => [
        label,
        `${round.baseline.median.toFixed(2)} / ${round.baseline.p99.toFixed(2)} / ${round.baseline.max.toFixed(1)} (n=${round.baseline.n})`,
        `${round.duringFlood.median.toFixed(2)} / ${round.duringFlood.p99.toFixed(2)} / ${round.duringFlood.max.toFixed(1)} (n=${round.duringFlood.n})`,
        round.p99Ratio,
        JSON.stringify(round.floodStatuses),
        round.floodDurationMs / 1000,
        round.validReverifications,
      ]),
    );
    console.log(`default cap: argon2 in flight peak ${stats.peakInFlight} (cap ${server.maxConcurrentVerifications}); queued peak ${stats.peakQueued}; refused as overloaded: ${stats.overloaded}; valid-key failures: ${rounds.reduce((sum, round) => sum + round.validFailures, 0)}`);

    const worstRatio = Math.max(...rounds.map((round) => round.p99Ratio));
    const goals = {
      'single flight: verifications per 100 first uses': { value: Math.max(...trials.map((trial) => trial.verifications)), target: '== 1', met: trials.every((trial) => trial.verifications === 1 && trial.allOk) },
      'flood: valid p99 during / without (worst round)': { value: Number(worstRatio.toFixed(2)), target: `<= ${GOAL_FLOOD_P99_RATIO}`, met: worstRatio <= GOAL_FLOOD_P99_RATIO },
      'flood: peak argon2 in flight': { value: stats.peakInFlight, target: `<= ${server.maxConcurrentVerifications}`, met: stats.peakInFlight <= server.maxConcurrentVerifications },
    };
    printTable('goals', ['goal', 'value', 'target', 'met'], Object.entries(goals).map(([name, goal]) => [name, goal.value, goal.target, goal.met ? 'yes' : 'NO']));
    const validFailures = rounds.reduce((sum, round) => sum + round.validFailures, 0);
    if (validFailures > 0 || !trials.every((trial) => trial.allOk)) process.exitCode = 1;
    printResultLine({
      bench: 'cold-keys',
      quick,
      ok: validFailures === 0 && trials.every((trial) => trial.allOk),
      node: process.version,
      plan: PLAN,
      hashOptions: DEFAULT_HASH_OPTIONS,
      argon2VerifyMs: roundSummary(argon2),
      singleFlight: trials,
      floodWhatIfs: whatIfs.map((whatIf) => ({ label: whatIf.label, config: whatIf.config, peakInFlight: whatIf.peakInFlight, ...whatIf.round })),
      flood: rounds.map((round) => ({ ...round, baseline: { ...roundSummary(round.baseline), p99: Number(round.baseline.p99.toPrecision(4)) }, duringFlood: { ...roundSummary(round.duringFlood), p99: Number(round.duringFlood.p99.toPrecision(4)) } })),
      verifierStats: stats,
      maxConcurrentVerifications: server.maxConcurrentVerifications,
      goals,
    });
  } finally {
    await server.stop();
  }
}

await main();

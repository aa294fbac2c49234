/**
 * The cost of `useScopedPermissions` on GraphQL Yoga 5, as paired ratios over
 * alternating rounds:
 *
 * 1. In process (`yoga.fetch`, parse and JSON included): the 10,000-row list
 *    of 5 scalar fields (`execution-overhead.ts`' workload), plain Yoga on the
 *    plain schema against Yoga on the `'operation'` mode schema with the
 *    plugin, without an edge check and with `mode: 'reject'` (which checks
 *    the operation once more, at the edge). Goal: ≤ 1.05 × plain.
 * 2. Over HTTP (autocannon, servers in a child process, its own core): a
 *    small query, plain Yoga against the same Yoga with the plugin
 *    authenticating an API key through `createScopedContext`. Goal: plain's
 *    requests/s ≤ 1.10 × the plugin's.
 *
 * Run: `npx tsx bench/yoga-overhead.ts [--quick]` (add `node --expose-gc --import tsx`
 * for a GC before every timed block). Prints tables, then one JSON line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createYoga } from 'graphql-yoga';
import type { Principal } from '../src/index';
import { useScopedPermissions } from '../src/envelop';
import { alternatingRounds, type Contender } from './lib/alternating-rounds';
import { readBenchFlags } from './lib/bench-flags';
import { ALL_SCOPES, buildRows, operationScopedSchema, plainSchema } from './lib/overhead-schema';
import { type Cell, printResultLine, printTable, roundSummary, spread } from './lib/report';
import { pairedRatios, summarize } from './lib/stats';

const GOAL_LIST = 1.05;
const GOAL_HTTP = 1.1;
const { quick } = readBenchFlags();
const PLAN = quick
  ? { list: { batch: 1, blocks: 1, rounds: 3, warmupRounds: 1 }, http: { durationSec: 1, rounds: 2, warmupSec: 1, connections: 10 } }
  : { list: { batch: 1, blocks: 3, rounds: 15, warmupRounds: 2 }, http: { durationSec: 3, rounds: 10, warmupSec: 3, connections: 10 } };
const LIST_QUERY = '{ posts { id title body views status } }';
const SMALL_QUERY = '{ post { id title } }';

const principal: Principal = { kind: 'apiKey', id: 'bench0001', name: 'bench', scopes: new Set(ALL_SCOPES) };
const rows = buildRows(10_000);
const yogas = {
  plain: createYoga({ schema: plainSchema(rows), logging: false }),
  plugin: createYoga({ schema: operationScopedSchema(rows), logging: false, plugins: [useScopedPermissions({ context: () => ({ principal }) })] }),
  'plugin reject': createYoga({ schema: operationScopedSchema(rows), logging: false, plugins: [useScopedPermissions({ context: () => ({ principal }), mode: 'reject' })] }),
};

async function fetchList(yoga: (typeof yogas)['plain']): Promise<string> {
  const response = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LIST_QUERY }) });
  return response.text();
}

async function listSection(): Promise<Record<string, unknown>> {
  for (const [name, yoga] of Object.entries(yogas)) {
    const body = await fetchList(yoga);
    if (body.includes('"errors"') || !body.includes('"p9999"')) throw new Error(`${name}: the list query did not answer every row: ${body.slice(0, 200)}`);
  }
  const contenders: Contender[] = Object.entries(yogas).map(([name, yoga]) => ({ name, run: () => fetchList(yoga) }));
  const samples = await alternatingRounds(contenders, PLAN.list);
  const plainWall = samples.plain?.wallMs ?? [];
  const plainCpu = samples.plain?.cpuMs ?? [];
  const rowsOut = Object.keys(yogas).map((name) => {
    const wall = samples[name]?.wallMs ?? [];
    return { name, ms: summarize(wall), ratio: summarize(pairedRatios(wall, plainWall)), cpuRatio: summarize(pairedRatios(samples[name]?.cpuMs ?? [], plainCpu)) };
  });
  printTable(
    `Yoga in process, ${LIST_QUERY} over 10,000 rows: ms per request; per-round paired ratio to plain Yoga (goal <= ${GOAL_LIST})`,
    ['setup', 'ms median [p25..p75] (min..max)', 'x plain (paired)', 'cpu x plain (paired)'],
    rowsOut.map((row): Cell[] => [row.name, spread(row.ms), spread(row.ratio), spread(row.cpuRatio)]),
  );
  return Object.fromEntries(rowsOut.map((row) => [row.name, { ms: roundSummary(row.ms), ratioToPlain: roundSummary(row.ratio), cpuRatioToPlain: roundSummary(row.cpuRatio) }]));
}

interface Ready {
  readonly plainUrl: string;
  readonly scopedUrl: string;
  readonly apiKey: string;
}

async function httpSection(): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/yoga-bench-servers.ts', import.meta.url))], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('exit', (code) => reject(new Error(`the bench servers exited (code ${code})`)));
  });
  try {
    const targets = { plain: { url: ready.plainUrl, headers: {} }, plugin: { url: ready.scopedUrl, headers: { 'x-api-key': ready.apiKey } } };
    const load = (target: (typeof targets)['plain'], durationSec: number) =>
      autocannon({
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: JSON.stringify({ query: SMALL_QUERY }),
        connections: PLAN.http.connections,
        duration: durationSec,
        pipelining: 1,
        timeout: 10,
      });
    for (const [name, target] of Object.entries(targets)) {
      const check = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body: JSON.stringify({ query: SMALL_QUERY }) });
      const body = await check.text();
      if (check.status !== 200 || !body.includes('"title"')) throw new Error(`${name}: the small query answered ${check.status} ${body.slice(0, 200)}`);
      await load(target, PLAN.http.warmupSec);
    }
    const cpuMicros = () =>
      new Promise<number>((resolve) => {
        const onMessage = (message: { type?: string; micros?: number }) => {
          if (message.type !== 'cpu') return;
          child.off('message', onMessage);
          resolve(message.micros ?? Number.NaN);
        };
        child.on('message', onMessage);
        child.send({ type: 'cpu' });
      });
    const rps: Record<'plain' | 'plugin', number[]> = { plain: [], plugin: [] };
    /** Server CPU per answered request, in microseconds: not charged for other processes' use of the core. */
    const cpuUs: Record<'plain' | 'plugin', number[]> = { plain: [], plugin: [] };
    let failures = 0;
    for (let round = 0; round < PLAN.http.rounds; round += 1) {
      const order = round % 2 === 0 ? (['plain', 'plugin'] as const) : (['plugin', 'plain'] as const);
      for (const name of order) {
        const before = await cpuMicros();
        const result = await load(targets[name], PLAN.http.durationSec);
        cpuUs[name].push(((await cpuMicros()) - before) / Math.max(1, result['2xx']));
        rps[name].push(result['2xx'] / result.duration);
        failures += result.non2xx + result.errors + result.timeouts;
      }
    }
    const ratio = summarize(pairedRatios(rps.plain, rps.plugin));
    const cpuRatio = summarize(pairedRatios(cpuUs.plugin, cpuUs.plain));
    printTable(
      `Yoga over HTTP, ${SMALL_QUERY}, ${PLAN.http.connections} connections: requests/s; per-round paired ratio plain / plugin (goal <= ${GOAL_HTTP})`,
      ['setup', 'req/s median [p25..p75] (min..max)', 'plain / plugin (paired)', 'server cpu us/req', 'cpu plugin / plain (paired)', 'non-2xx/errors'],
      [
        ['plain Yoga', spread(summarize(rps.plain)), '', summarize(cpuUs.plain).median, '', failures],
        ['Yoga + useScopedPermissions (API key)', spread(summarize(rps.plugin)), spread(ratio), summarize(cpuUs.plugin).median, spread(cpuRatio), ''],
      ],
    );
    return {
      plainRps: roundSummary(summarize(rps.plain)),
      pluginRps: roundSummary(summarize(rps.plugin)),
      plainOverPlugin: roundSummary(ratio),
      serverCpuUsPerRequest: { plain: roundSummary(summarize(cpuUs.plain)), plugin: roundSummary(summarize(cpuUs.plugin)) },
      cpuPluginOverPlain: roundSummary(cpuRatio),
      failures,
    };
  } finally {
    child.send({ type: 'stop' });
  }
}

async function main(): Promise<void> {
  console.log(`yoga-overhead${quick ? ' --quick (smoke check: too short for conclusions)' : ''}; node ${process.version}`);
  const list = await listSection();
  const http = await httpSection();
  const listRatio = (list['plugin reject'] as { ratioToPlain: { median: number } }).ratioToPlain.median;
  const httpRatio = (http.plainOverPlugin as { median: number }).median;
  const goals = {
    'list, plugin reject / plain': { value: listRatio, target: `<= ${GOAL_LIST}`, met: listRatio <= GOAL_LIST },
    'HTTP req/s, plain / plugin': { value: httpRatio, target: `<= ${GOAL_HTTP}`, met: httpRatio <= GOAL_HTTP },
  };
  printTable('goals', ['goal', 'median', 'target', 'met'], Object.entries(goals).map(([name, goal]) => [name, goal.value, goal.target, goal.met ? 'yes' : 'NO']));
  printResultLine({ bench: 'yoga-overhead', quick, node: process.version, plan: PLAN, list, http, goals });
}

await main();

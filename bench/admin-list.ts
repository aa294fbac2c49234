/**
 * The admin page's keys list on the memory store: the server time of one
 * page of 50 keys out of 10,000 (first page, a deep page, a search), against
 * the same page of a store holding only 50 keys. Pages are fetched over
 * loopback HTTP from a signed-in session, one at a time, as a browser would.
 * Server time runs from the handler's start to the response's `finish`
 * event, on two clocks: wall (`performance.now()`) and this process's CPU
 * (`process.cpuUsage()`, not charged for time other tenants take the core).
 * Run: `npx tsx bench/admin-list.ts [--quick]`. Prints tables, then one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { MemoryScopeStore, discoverScopes, scopeDirective } from '../src/index';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { type AdminBenchSite, TIMED_PAGE_COLUMNS, startAdminBenchSite, timePages } from './lib/admin-bench-site';
import { readBenchFlags } from './lib/bench-flags';
import { printResultLine, printTable } from './lib/report';

const GOAL_SERVER_MS = 200;
const { quick } = readBenchFlags();
const PLAN = quick ? { keys: 10_000, rounds: 3, blocks: 2, batch: 5 } : { keys: 10_000, rounds: 15, blocks: 3, batch: 10 };
const PAGE_SIZE = 50;
/** Cheap argon2 parameters: hashing only slows the set-up, never the list. */
const HASH_OPTIONS = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

const catalog = discoverScopes(
  makeExecutableSchema({
    typeDefs: [
      scopeDirective().scopeDirectiveTypeDefs,
      /* GraphQL */ `
        type Query { posts: [String!]! @scope(resource: "posts") comments: [String!]! @scope(resource: "comments") }
        type Mutation { publishPost(id: ID!): Boolean! @scope(resource: "posts", action: "publish") }
      `,
    ],
  }),
);

const SCOPE_SETS = [['posts.read'], ['posts.read', 'posts.write', 'comments.read'], ['posts.*'], ['*'], ['comments.read', 'posts.publish']];

interface Site extends AdminBenchSite {
  readonly store: MemoryScopeStore;
}

async function seed(store: MemoryScopeStore, count: number): Promise<void> {
  const chunk = 16;
  for (let start = 0; start < count; start += chunk) {
    await Promise.all(
      Array.from({ length: Math.min(chunk, count - start) }, (_, offset) => {
        const index = start + offset;
        const expiresAt = index % 7 === 0 ? new Date(Date.now() + (index % 3 === 0 ? -1 : 1) * 86_400_000) : null;
        return store.createApiKey({ name: `service ${index}`, scopes: SCOPE_SETS[index % SCOPE_SETS.length] as string[], expiresAt });
      }),
    );
  }
}

/** Starts an admin page on a store of `count` keys and signs in. */
async function startSite(count: number): Promise<Site> {
  const store = new MemoryScopeStore({ hashOptions: HASH_OPTIONS });
  const { key: adminKey } = await store.createApiKey({ name: 'bench admin', scopes: ['*'] });
  await seed(store, count - 1);
  return { ...(await startAdminBenchSite(store, adminKey, catalog, PAGE_SIZE)), store };
}

/** Fetches one page and checks that it lists `expectedRows` keys (a wrong page must not be timed). */
async function fetchPage(site: Site, path: string, tag: string, expectedRows: number): Promise<void> {
  const body = await site.get(path, tag);
  const rows = body.split('<td data-label="Key" class="mono">').length - 1;
  if (rows !== expectedRows) throw new Error(`${tag}: ${rows} rows, expected ${expectedRows}`);
}

async function main(): Promise<void> {
  const setupStart = performance.now();
  const [large, small] = [await startSite(PLAN.keys), await startSite(PAGE_SIZE)];
  const setupSec = (performance.now() - setupStart) / 1000;
  const all = await large.store.listApiKeys();
  const middle = all[Math.floor(all.length / 2)]?.id ?? '';
  const searchHits = all.filter((key) => key.name.includes('service 12')).length;

  const contenders = [
    { name: 'page 1 of 10,000', run: () => fetchPage(large, '/keys', 'page 1 of 10,000', PAGE_SIZE) },
    { name: 'deep page of 10,000', run: () => fetchPage(large, `/keys?after=${middle}`, 'deep page of 10,000', PAGE_SIZE) },
    { name: 'search in 10,000', run: () => fetchPage(large, '/keys?search=service%2012', 'search in 10,000', Math.min(PAGE_SIZE, searchHits)) },
    { name: 'page 1 of 50 (baseline)', run: () => fetchPage(small, '/keys', 'page 1 of 50 (baseline)', PAGE_SIZE) },
  ];
  const { rows, serverMs, serverCpuMs, worstP99Ms, pages } = await timePages([large, small], contenders, 'page 1 of 50 (baseline)', {
    batch: PLAN.batch,
    blocks: PLAN.blocks,
    rounds: PLAN.rounds,
  });
  printTable(
    `Keys list, ${PAGE_SIZE} a page, memory store (${PLAN.rounds} alternating rounds × ${PLAN.blocks} blocks × ${PLAN.batch} requests, plus 2 warm-up rounds; set-up ${setupSec.toFixed(0)} s)`,
    TIMED_PAGE_COLUMNS,
    rows,
  );

  const allWall = [...serverMs.values()].flat();
  const allCpu = [...serverCpuMs.values()].flat();
  const worstCpuMs = Math.max(...allCpu);
  const met = worstP99Ms < GOAL_SERVER_MS && worstCpuMs < GOAL_SERVER_MS;
  console.log(
    `\nGoal: a page under ${GOAL_SERVER_MS} ms of server time. Worst p99 (wall): ${worstP99Ms.toFixed(1)} ms; slowest request: ${Math.max(...allWall).toFixed(1)} ms wall, ${worstCpuMs.toFixed(1)} ms CPU: ${met ? 'met' : 'MISSED'}.`,
  );
  printResultLine({
    bench: 'admin-list',
    quick,
    keys: PLAN.keys,
    pageSize: PAGE_SIZE,
    goalServerMs: GOAL_SERVER_MS,
    worstP99ServerMs: Number(worstP99Ms.toFixed(2)),
    slowestServerMs: Number(Math.max(...allWall).toFixed(2)),
    slowestServerCpuMs: Number(worstCpuMs.toFixed(2)),
    met,
    pages,
  });
  await large.close();
  await small.close();
}

await main();

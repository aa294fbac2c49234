/**
 * The admin page's Activity list: the server time of one page of 50 audit
 * entries out of 100,000 on the memory store (newest page, a deep page, an
 * actor filter, a group filter), against the same page of a store holding
 * only 60 entries, in alternating rounds over loopback HTTP from a signed-in
 * session. The entries are made by real store writes (group saves and
 * member changes, which hash nothing), by 20 actors on 200 groups.
 *
 * With `--mongo`, it also times `listAuditEntries` pages on a MongoDB-protocol
 * server (`MONGODB_URI`, else the FerretDB the tests use) holding 100,000
 * entries, bulk-inserted in the store's own document shape (100,000 store
 * writes would take most of an hour there). FerretDB's SQLite backend sorts
 * in memory whatever the index: its figure is reported as measured.
 *
 * Run: `npx tsx bench/activity-list.ts [--quick] [--mongo | --mongo-only]`. Prints tables, then one JSON line.
 */
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { Types } from 'mongoose';
import { MemoryScopeStore, discoverScopes, scopeDirective } from '../src/index';
import { MongooseScopeStore } from '../src/store/mongoose/mongoose-scope-store';
import type { ListAuditOptions } from '../src/store/audit/audit-entry';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { type AdminBenchSite, TIMED_PAGE_COLUMNS, startAdminBenchSite, timePages } from './lib/admin-bench-site';
import { startBenchMongo } from './lib/bench-mongo';
import { readBenchFlags } from './lib/bench-flags';
import { type Cell, printResultLine, printTable, roundSummary, spread } from './lib/report';
import { summarize } from './lib/stats';

const GOAL_SERVER_MS = 100;
const ENTRIES = 100_000;
const PAGE_SIZE = 50;
const ACTORS = 20;
const GROUPS = 200;
const { quick } = readBenchFlags();
const withMongo = process.argv.includes('--mongo') || process.argv.includes('--mongo-only');
const PLAN = quick ? { rounds: 3, blocks: 2, batch: 5, mongoRounds: 2 } : { rounds: 15, blocks: 3, batch: 10, mongoRounds: 5 };
const HASH_OPTIONS = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

const catalog = discoverScopes(
  makeExecutableSchema({
    typeDefs: [scopeDirective().scopeDirectiveTypeDefs, /* GraphQL */ `type Query { posts: [String!]! @scope(resource: "posts") }`],
  }),
);

/** `count` audit entries through real store writes: a save, then member changes, spread over actors and groups. */
async function seedAudit(store: MemoryScopeStore, count: number): Promise<void> {
  for (let group = 0; group < Math.min(GROUPS, count); group += 1) await store.saveGroup({ name: `group-${group}`, scopes: ['posts.read'] }, { actor: `cli:user${group % ACTORS}` });
  for (let index = GROUPS; index < count; index += 1) {
    const name = `group-${index % GROUPS}`;
    const options = { actor: `cli:user${index % ACTORS}` };
    if (index % 2 === 0) await store.addGroupMember(name, `user-${index}`, options);
    else await store.removeGroupMember(name, `user-${index - 1}`, options);
  }
}

interface Site extends AdminBenchSite {
  readonly store: MemoryScopeStore;
}

async function startSite(count: number): Promise<Site> {
  const store = new MemoryScopeStore({ hashOptions: HASH_OPTIONS });
  const { key: adminKey } = await store.createApiKey({ name: 'bench admin', scopes: ['*'] });
  await seedAudit(store, count - 1);
  return { ...(await startAdminBenchSite(store, adminKey, catalog, PAGE_SIZE)), store };
}

async function fetchPage(site: Site, path: string, tag: string, expectedRows: number): Promise<void> {
  const rows = (await site.get(path, tag)).split('<td data-label="When">').length - 1;
  if (rows !== expectedRows) throw new Error(`${tag}: ${rows} rows, expected ${expectedRows}`);
}

async function memoryRun(): Promise<Record<string, unknown>> {
  const setupStart = performance.now();
  const [large, small] = [await startSite(ENTRIES), await startSite(PAGE_SIZE + 10)];
  const setupSec = (performance.now() - setupStart) / 1000;
  const middle = (await large.store.listAuditEntries({ limit: 1000 }))[999]?.id ?? '';
  const deep = (await large.store.listAuditEntries({ limit: 1, after: middle }))[0]?.id ?? '';
  const contenders = [
    { name: 'newest page of 100,000', run: () => fetchPage(large, '/activity', 'newest page of 100,000', PAGE_SIZE) },
    { name: 'page after 1,000', run: () => fetchPage(large, `/activity?after=${deep}`, 'page after 1,000', PAGE_SIZE) },
    { name: 'actor filter (5%)', run: () => fetchPage(large, '/activity?actor=cli%3Auser7', 'actor filter (5%)', PAGE_SIZE) },
    { name: 'group filter (0.5%)', run: () => fetchPage(large, '/activity?group=group-123', 'group filter (0.5%)', PAGE_SIZE) },
    { name: 'newest page of 60 (baseline)', run: () => fetchPage(small, '/activity', 'newest page of 60 (baseline)', PAGE_SIZE) },
  ];
  const { rows, worstP99Ms, pages } = await timePages([large, small], contenders, 'newest page of 60 (baseline)', { batch: PLAN.batch, blocks: PLAN.blocks, rounds: PLAN.rounds });
  printTable(
    `Activity list, ${PAGE_SIZE} a page, memory store, ${ENTRIES.toLocaleString('en')} entries (${PLAN.rounds} rounds × ${PLAN.blocks} blocks × ${PLAN.batch} requests; set-up ${setupSec.toFixed(0)} s)`,
    TIMED_PAGE_COLUMNS,
    rows,
  );
  const met = worstP99Ms < GOAL_SERVER_MS;
  console.log(`\nGoal: a page under ${GOAL_SERVER_MS} ms of server time on the memory store. Worst p99 (wall): ${worstP99Ms.toFixed(1)} ms: ${met ? 'met' : 'MISSED'}.`);
  await large.close();
  await small.close();
  return {
    worstP99ServerMs: Number(worstP99Ms.toFixed(2)),
    met,
    pages,
  };
}

/** Pages of `listAuditEntries` on a MongoDB-protocol server with 100,000 entries, timed in the calling process. */
async function mongoRun(): Promise<Record<string, unknown>> {
  const mongo = await startBenchMongo();
  const connection = await mongoose.createConnection(mongo.uri, { dbName: `bench_audit_${Date.now()}` }).asPromise();
  try {
    const store = new MongooseScopeStore(connection, { hashOptions: HASH_OPTIONS });
    await store.models.ScopedAudit.init();
    const startMs = Date.now() - ENTRIES * 1000;
    const chunk = 5000;
    const seedStart = performance.now();
    for (let start = 0; start < ENTRIES; start += chunk) {
      const docs = Array.from({ length: Math.min(chunk, ENTRIES - start) }, (_, offset) => {
        const index = start + offset;
        const group = `group-${index % GROUPS}`;
        return {
          _id: new Types.ObjectId(),
          at: new Date(startMs + index * 1000),
          actor: `cli:user${index % ACTORS}`,
          action: 'member-added',
          targetType: 'group',
          target: group,
          subjects: [`group:${group}`],
          changes: [{ field: 'member', before: null, after: `user-${index}` }],
        };
      });
      await store.models.ScopedAudit.collection.insertMany(docs, { ordered: false });
      process.stderr.write(`[bench] ${start + docs.length} entries inserted\n`);
    }
    const seedSec = (performance.now() - seedStart) / 1000;
    const cursor = (await store.listAuditEntries({ limit: 1000 }))[999]?.id ?? '';
    const pages: ReadonlyArray<readonly [string, ListAuditOptions]> = [
      ['newest page', { limit: PAGE_SIZE + 1 }],
      ['page after 1,000', { limit: PAGE_SIZE + 1, after: cursor }],
      ['actor filter (5%)', { limit: PAGE_SIZE + 1, actor: 'cli:user7' }],
      ['group filter (0.5%)', { limit: PAGE_SIZE + 1, target: { type: 'group', name: 'group-123' } }],
    ];
    const timings = new Map<string, number[]>();
    for (let round = 0; round < PLAN.mongoRounds; round += 1) {
      for (const [name, options] of pages) {
        const start = performance.now();
        const page = await store.listAuditEntries(options);
        if (page.length !== PAGE_SIZE + 1) throw new Error(`${name}: ${page.length} entries`);
        timings.set(name, [...(timings.get(name) ?? []), performance.now() - start]);
      }
    }
    printTable(
      `listAuditEntries on ${mongo.kind}, ${ENTRIES.toLocaleString('en')} entries (${PLAN.mongoRounds} rounds; bulk insert ${seedSec.toFixed(0)} s)`,
      ['page', 'wall ms (median [min–max])'],
      pages.map(([name]): Cell[] => [name, spread(summarize(timings.get(name) ?? []))]),
    );
    return { kind: mongo.kind, pages: Object.fromEntries(pages.map(([name]) => [name, roundSummary(summarize(timings.get(name) ?? []))])) };
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await mongo.stop();
  }
}

const memory = process.argv.includes('--mongo-only') ? undefined : await memoryRun();
const database = withMongo ? await mongoRun() : undefined;
printResultLine({ bench: 'activity-list', quick, entries: ENTRIES, pageSize: PAGE_SIZE, goalServerMs: GOAL_SERVER_MS, ...(memory === undefined ? {} : { memory }), ...(database === undefined ? {} : { database }) });

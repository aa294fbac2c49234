/**
 * How long a change made in one process takes to reach another, on the test
 * database (FerretDB unless MONGODB_URI is set), which has no change
 * streams: the POLLING path, with the default pollIntervalMs (1000).
 *
 * Process A (test/support/store-writer-process.ts, a child process with its
 * own MongooseScopeStore) revokes a key that process B (this one, through
 * createScopedContext) has cached; B sends a request every 5 ms until one is
 * refused. The lag is from A's write returning to B's first refusal, on one
 * machine's clock. The same for a group change: A removes a session user
 * from a group, B's next requests lose the group's scope.
 *
 * Run: `npx tsx bench/cross-process-revocation.ts [--quick]`. Prints
 * tables, then one JSON line. A script that reports, not a test.
 */
import { createScopedContext } from '../src/index';
import type { ScopedContextFunction } from '../src/index';
import { MongooseScopeStore } from '../src/store/mongoose/index';
import type { CreatedApiKey } from '../src/store/scope-store';
import { sessionUserFromHeader } from '../test/support/session-user';
import type { StoreWriter } from '../test/support/store-writer';
import { readBenchFlags } from './lib/bench-flags';
import { withWriterProcess } from './lib/bench-mongo';
import { printResultLine, printTable } from './lib/report';
import { quantile } from './lib/stats';

const { quick } = readBenchFlags();
const TRIALS = quick ? 5 : 20;
const POLL_INTERVAL_MS = 1000;
const BOUND_MS = POLL_INTERVAL_MS + 100;
const REQUEST_EVERY_MS = 5;
const GIVE_UP_MS = 35_000;
const HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a request every few ms until `refused` says so; returns when the first refusal came. */
async function firstRefusal(refused: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < GIVE_UP_MS) {
    if (await refused()) return Date.now();
    await sleep(REQUEST_EVERY_MS);
  }
  throw new Error(`no refusal within ${GIVE_UP_MS} ms`);
}

async function revocationTrial(writer: StoreWriter, context: ScopedContextFunction, trial: number): Promise<number> {
  const created = (await writer.call('createApiKey', { name: `trial ${trial}`, scopes: ['posts.read'] })).result as CreatedApiKey;
  const req = { headers: { 'x-api-key': created.key } };
  if ((await context({ req })).principal.kind !== 'apiKey') throw new Error('the new key was not accepted');
  await sleep(Math.random() * POLL_INTERVAL_MS); // any phase of B's poll cycle
  const { doneAtMs, ok } = await writer.call('revokeApiKey', created.apiKey.id);
  if (!ok) throw new Error('revokeApiKey failed in process A');
  const refusedAtMs = await firstRefusal(async () => {
    try {
      await context({ req });
      return false;
    } catch {
      return true;
    }
  });
  return refusedAtMs - doneAtMs;
}

async function groupTrial(writer: StoreWriter, context: ScopedContextFunction, trial: number): Promise<number> {
  const user = `user-${trial}`;
  await writer.call('addGroupMember', 'editors', user);
  const req = { headers: { 'x-session-user': user } };
  await firstRefusal(async () => (await context({ req })).principal.scopes.has('posts.write')); // wait until B sees the membership
  await sleep(Math.random() * POLL_INTERVAL_MS);
  const { doneAtMs } = await writer.call('removeGroupMember', 'editors', user);
  const refusedAtMs = await firstRefusal(async () => !(await context({ req })).principal.scopes.has('posts.write'));
  return refusedAtMs - doneAtMs;
}

function summary(lags: readonly number[]): { p50: number; p90: number; worst: number; withinBound: number } {
  const sorted = [...lags].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), worst: sorted[sorted.length - 1] ?? Number.NaN, withinBound: lags.filter((lag) => lag <= BOUND_MS).length };
}

async function main(): Promise<void> {
  console.log(`cross-process-revocation${quick ? ' --quick' : ''}; node ${process.version}; ${TRIALS} trials per kind; pollIntervalMs ${POLL_INTERVAL_MS}; a request every ${REQUEST_EVERY_MS} ms`);
  await withWriterProcess('gsp_revocation', async ({ mongo, connection, writer }) => {
    const store = new MongooseScopeStore(connection, { hashOptions: HASH, pollIntervalMs: POLL_INTERVAL_MS });
    await Promise.all([store.models.ScopedApiKey.init(), store.models.ScopedGroup.init(), store.models.ScopedChange.init()]);
    await writer.call('saveGroup', { name: 'editors', scopes: ['posts.write'] });
    const context = createScopedContext({
      store,
      verifier: { hashOptions: HASH },
      getUser: sessionUserFromHeader,
    });
    const probe = store.watchChanges(() => undefined);
    const mode = await probe.ready;
    await probe.dispose();
    const revocations: number[] = [];
    const groupChanges: number[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) revocations.push(await revocationTrial(writer, context, trial));
    for (let trial = 0; trial < TRIALS; trial += 1) groupChanges.push(await groupTrial(writer, context, trial));
    await context.dispose();

    const results = { revokedKey: summary(revocations), removedMember: summary(groupChanges) };
    printTable(
      `ms from A's write to B's first refusal, ${TRIALS} trials each (watcher: ${mode} on ${mongo.kind}); bound pollIntervalMs + 100 = ${BOUND_MS} ms`,
      ['change', 'p50', 'p90', 'worst', `within ${BOUND_MS} ms`],
      Object.entries(results).map(([name, row]) => [name, row.p50, row.p90, row.worst, `${row.withinBound}/${TRIALS}`]),
    );
    console.log(`revocation lags (ms): ${revocations.join(', ')}`);
    console.log(`group change lags (ms): ${groupChanges.join(', ')}`);
    printResultLine({
      bench: 'cross-process-revocation',
      quick,
      ok: true,
      node: process.version,
      database: mongo.kind,
      watcher: mode,
      pollIntervalMs: POLL_INTERVAL_MS,
      boundMs: BOUND_MS,
      revokedKey: { ...results.revokedKey, lagsMs: revocations },
      removedMember: { ...results.removedMember, lagsMs: groupChanges },
    });
  });
}

await main();

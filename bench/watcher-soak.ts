/**
 * The change watcher over time, on the test database (FerretDB unless
 * MONGODB_URI says otherwise). A script that reports, not a test.
 *
 * 1. Idle: a serving process (this one: createScopedContext on a
 *    MongooseScopeStore, default pollIntervalMs 1000) watches the change log
 *    for `idleSec`; we count its database commands.
 * 2. Soak: another process (test/support/store-writer-process.ts) makes
 *    `changesPerMinute` changes (key rescopes and revocations, group member
 *    adds and removes, group saves) for `soakMin` minutes, while this one
 *    serves a warm API key, a JWT user and a session user every 100 ms. We
 *    sample this process's heap after a full GC, the change log's size, and
 *    the watcher's reports.
 *
 * Run: `node --expose-gc --import tsx bench/watcher-soak.ts [--quick] [--minutes N] [--changes-per-minute N]`.
 * Prints tables, then one JSON line.
 */
import { SignJWT } from 'jose';
import { createScopedContext } from '../src/index';
import type { ScopedContextErrorEvent } from '../src/index';
import { MongooseScopeStore } from '../src/store/mongoose/index';
import { readBenchFlags } from './lib/bench-flags';
import { withWriterProcess } from './lib/bench-mongo';
import { printResultLine, printTable } from './lib/report';

const { quick } = readBenchFlags();
const minutesFlag = process.argv.indexOf('--minutes');
const SOAK_MIN = minutesFlag > 0 ? Number(process.argv[minutesFlag + 1]) : quick ? 1 : 10;
const IDLE_SEC = quick ? 10 : 60;
const rateFlag = process.argv.indexOf('--changes-per-minute');
/** `--changes-per-minute 0` is the control run: the same serving load, no changes. */
const CHANGES_PER_MINUTE = rateFlag > 0 ? Number(process.argv[rateFlag + 1]) : 1000;
const SAMPLE_EVERY_SEC = quick ? 10 : 30;
const SECRET = 'a-shared-secret-of-at-least-32-bytes!';
const HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

const collectGarbage = (globalThis as { gc?: () => void }).gc;

function heapMb(): number {
  collectGarbage?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Least-squares slope of `ys` over `xs`. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  if (collectGarbage === undefined) console.log('note: run with --expose-gc for heap samples after a full GC (run-all does).');
  console.log(`watcher-soak${quick ? ' --quick (smoke check)' : ''}; node ${process.version}; idle ${IDLE_SEC} s, soak ${SOAK_MIN} min at ${CHANGES_PER_MINUTE} changes/min`);
  await withWriterProcess('gsp_soak', async ({ mongo, connection, writer }) => {
    const store = new MongooseScopeStore(connection, { hashOptions: HASH });
    await Promise.all([store.models.ScopedApiKey.init(), store.models.ScopedGroup.init(), store.models.ScopedChange.init()]);
    const commands = new Map<string, number>();
    connection.getClient().on('commandStarted', (event) => {
      const target = typeof event.command[event.commandName] === 'string' ? `${event.commandName} ${event.command[event.commandName] as string}` : event.commandName;
      commands.set(target, (commands.get(target) ?? 0) + 1);
    });

    // Fixtures, written by the other process.
    const created = (await writer.call('createApiKey', { name: 'soak', scopes: ['posts.read'] })).result as { key: string; apiKey: { id: string } };
    const churnKeys: string[] = [];
    for (let index = 0; index < 20; index += 1) churnKeys.push(((await writer.call('createApiKey', { name: `churn ${index}`, scopes: ['posts.read'] })).result as { apiKey: { id: string } }).apiKey.id);
    for (let index = 0; index < 10; index += 1) await writer.call('saveGroup', { name: `group-${index}`, scopes: [`r${index}.read`] });
    await writer.call('addGroupMember', 'group-0', 'alice');

    const events: ScopedContextErrorEvent[] = [];
    const context = createScopedContext({ store, verifier: { hashOptions: HASH }, jwt: { secret: SECRET, issuer: 'test-issuer', audience: 'test-api' }, getUser: () => ({ id: 'alice' }), onError: (_error, event) => events.push(event) });
    const resets = { count: 0 };
    const watch = store.watchChanges((change) => {
      if (change.type === 'reset') resets.count += 1;
    });
    await watch.ready;
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer('test-issuer').setAudience('test-api').setExpirationTime('2h').sign(new TextEncoder().encode(SECRET));
    const requests = [{ 'x-api-key': created.key }, { authorization: `Bearer ${token}` }, {}];
    let served = 0;
    let refused = 0;
    const serveOnce = async (): Promise<void> => {
      for (const headers of requests) {
        try {
          await context({ req: { headers } });
          served += 1;
        } catch {
          refused += 1;
        }
      }
    };

    // 1. Idle.
    await serveOnce();
    commands.clear();
    await sleep(IDLE_SEC * 1000);
    const idle = Object.fromEntries(commands);
    const idleLogQueries = idle[`find ${store.models.ScopedChange.collection.collectionName}`] ?? 0;
    printTable(`idle for ${IDLE_SEC} s: database commands of the serving process`, ['command', 'count', 'per second'], Object.entries(idle).map(([name, count]) => [name, count, count / IDLE_SEC]));

    // 2. Soak.
    const samples: Array<{ minute: number; heapMb: number; logEntries: number; resets: number }> = [];
    const startedAt = Date.now();
    const endAt = startedAt + SOAK_MIN * 60_000;
    let changes = 0;
    let writeFailures = 0;
    const intervalMs = 60_000 / CHANGES_PER_MINUTE;
    const writing = (async () => {
      while (CHANGES_PER_MINUTE > 0 && Date.now() < endAt) {
        const next = startedAt + changes * intervalMs;
        if (next > Date.now()) await sleep(next - Date.now());
        const keyId = churnKeys[changes % churnKeys.length] as string;
        const user = `user-${changes % 500}`;
        const group = `group-${changes % 10}`;
        const step = changes % 5;
        const reply =
          step === 0
            ? await writer.call('setApiKeyScopes', keyId, [changes % 2 === 0 ? 'posts.read' : 'posts.write'])
            : step === 1
              ? await writer.call('addGroupMember', group, user)
              : step === 2
                ? await writer.call('removeGroupMember', group, user)
                : step === 3
                  ? await writer.call('saveGroup', { name: group, scopes: [`r${changes % 7}.read`] })
                  : await writer.call('addGroupMember', group, `other-${changes % 1000}`);
        if (!reply.ok) writeFailures += 1;
        changes += 1;
      }
    })();
    const serving = (async () => {
      while (Date.now() < endAt) {
        await serveOnce();
        await sleep(100);
      }
    })();
    let nextSample = startedAt;
    while (Date.now() < endAt) {
      if (Date.now() >= nextSample) {
        samples.push({ minute: (Date.now() - startedAt) / 60_000, heapMb: heapMb(), logEntries: await store.models.ScopedChange.estimatedDocumentCount(), resets: resets.count });
        nextSample += SAMPLE_EVERY_SEC * 1000;
      }
      await sleep(500);
    }
    await Promise.all([writing, serving]);
    samples.push({ minute: (Date.now() - startedAt) / 60_000, heapMb: heapMb(), logEntries: await store.models.ScopedChange.estimatedDocumentCount(), resets: resets.count });

    printTable(
      `soak: ${changes} changes in ${SOAK_MIN} min by another process; this process's heap after a full GC, the change log's size`,
      ['minute', 'heap MB', 'change log entries', 'resets so far'],
      samples.map((sample) => [sample.minute.toFixed(1), sample.heapMb, sample.logEntries, sample.resets]),
    );
    const secondHalf = samples.filter((sample) => sample.minute >= SOAK_MIN / 2);
    const heapSlope = slope(secondHalf.map((sample) => sample.minute), secondHalf.map((sample) => sample.heapMb));
    console.log(`heap slope over the second half: ${heapSlope.toFixed(3)} MB/min; served ${served} requests, refused ${refused}; watcher errors ${events.filter((event) => event.kind === 'watch').length}; writer failures ${writeFailures}.`);
    await watch.dispose();
    await context.dispose();
    printResultLine({
      bench: 'watcher-soak',
      quick,
      ok: writeFailures === 0,
      node: process.version,
      database: mongo.kind,
      idle: { seconds: IDLE_SEC, commands: idle, changeLogQueriesPerSecond: Number((idleLogQueries / IDLE_SEC).toFixed(3)) },
      soak: { minutes: SOAK_MIN, changes, changesPerMinute: CHANGES_PER_MINUTE, samples, heapSlopeMbPerMinSecondHalf: Number(heapSlope.toFixed(4)), served, refused, watchErrors: events.filter((event) => event.kind === 'watch').length, resets: resets.count },
    });
  });
}

await main();

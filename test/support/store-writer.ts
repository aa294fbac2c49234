import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 30_000;

/** What the writer process answers for one call. */
export interface WriterReply {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly code?: string;
  /** The writer's `Date.now()` when the store call returned (same machine, same clock). */
  readonly doneAtMs: number;
}

/** Another process with its own `MongooseScopeStore` on the same database: process A of the cross-process tests. */
export interface StoreWriter {
  /** Runs `store[method](...args)` in the other process. */
  call(method: string, ...args: unknown[]): Promise<WriterReply>;
  /** Ends the process. */
  stop(): Promise<void>;
}

/**
 * Starts `store-writer-process.ts` under tsx and waits until its store is connected.
 *
 * @param repoRoot - The repository root. Default: the working directory (Jest's and `npm run bench`'s).
 */
export async function startStoreWriter(uri: string, dbName: string, repoRoot: string = process.cwd()): Promise<StoreWriter> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, 'test/support/store-writer-process.ts'), uri, dbName], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const pending = new Map<number, (reply: WriterReply) => void>();
  let ready: () => void = () => undefined;
  const started = new Promise<void>((done) => (ready = done));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as WriterReply & { id?: number; ready?: boolean };
    if (message.ready === true) ready();
    else if (message.id !== undefined) {
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    }
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await Promise.race([
    started,
    exited.then(() => {
      throw new Error(`The store writer exited before it was ready:\n${stderr}`);
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`The store writer was not ready within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS).unref()),
  ]);
  let next = 0;
  return {
    call(method, ...args) {
      next += 1;
      const id = next;
      return new Promise((done) => {
        pending.set(id, done);
        child.stdin?.write(`${JSON.stringify({ id, method, args })}\n`);
      });
    },
    async stop() {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

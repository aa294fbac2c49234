import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { findOrBuildFerretDb } from './ferretdb-binary';
import { findOnPath } from './run-command';

/** How long a started server gets to accept connections, in milliseconds. */
const READY_TIMEOUT_MS = 30_000;

/** How long `stop()` waits after SIGTERM before SIGKILL, in milliseconds. */
const STOP_GRACE_MS = 5_000;

/** A database server started for the test run. */
export interface MongoServer {
  readonly kind: 'mongod' | 'ferretdb';
  /** `mongodb://127.0.0.1:<port>/`, without a database name. */
  readonly uri: string;
  /** Kills the server and removes its data directory. Idempotent. */
  stop(): Promise<void>;
}

/** A server, or why none could be started. */
export type StartResult = { readonly server: MongoServer } | { readonly server: null; readonly reasons: readonly string[] };

/** A free loopback TCP port (the OS picks one for a listener on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Resolves once `uri` answers a `ping`, or rejects after `timeoutMs`. */
export async function waitForPing(uri: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline && isAlive()) {
    const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1_000, bufferCommands: false });
    try {
      await connection.asPromise();
      await connection.db?.admin().ping();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((done) => setTimeout(done, 200));
    } finally {
      await connection.close(true).catch(() => undefined);
    }
  }
  const why = lastError instanceof Error ? lastError.message : 'the process exited';
  throw new Error(`The test database at ${uri} did not answer a ping within ${timeoutMs} ms: ${why}`);
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await gone;
  clearTimeout(timer);
}

async function launch(kind: MongoServer['kind'], binary: string, args: (dir: string, port: number) => string[]): Promise<MongoServer> {
  const dir = mkdtempSync(join(tmpdir(), `gsp-${kind}-`));
  const port = await freePort();
  const logPath = join(dir, 'server.log');
  const log = openSync(logPath, 'a');
  const child = spawn(binary, args(dir, port), { stdio: ['ignore', log, log] });
  closeSync(log);
  // Never leave a server behind, even when Jest dies without running globalTeardown.
  const killOnExit = (): void => {
    if (!exited(child)) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const uri = `mongodb://127.0.0.1:${port}/`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(uri, READY_TIMEOUT_MS, () => !exited(child));
    if (exited(child)) throw new Error(`${kind} exited with ${String(child.exitCode ?? child.signalCode)}`);
  } catch (error) {
    const tail = readFileSync(logPath, 'utf8').slice(-2_000);
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- ${kind} log (tail) ---\n${tail}`);
  }
  return { kind, uri, stop };
}

/**
 * Starts a throw-away MongoDB-protocol server on a free loopback port with a
 * temporary data directory: `mongod` when it is on `PATH`, else FerretDB
 * (SQLite backend), built first when Go is installed and no binary is found.
 *
 * @param notify - Prints progress the developer should see.
 */
export async function startMongoServer(notify: (message: string) => void): Promise<StartResult> {
  const reasons: string[] = [];
  const mongod = findOnPath('mongod');
  if (mongod !== null) {
    try {
      const server = await launch('mongod', mongod, (dir, port) => ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']);
      return { server };
    } catch (error) {
      reasons.push(`mongod: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    reasons.push('no mongod on PATH');
  }
  const ferret = await findOrBuildFerretDb(notify);
  if (ferret.path === null) return { server: null, reasons: [...reasons, ...ferret.reasons] };
  try {
    const server = await launch('ferretdb', ferret.path, (dir, port) => [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=warn',
    ]);
    return { server };
  } catch (error) {
    return { server: null, reasons: [...reasons, `ferretdb: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

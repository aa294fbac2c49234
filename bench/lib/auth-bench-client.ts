import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ApiKeyVerifierStats } from '../../src/index';
import type { AuthBenchReady, AuthBenchServerConfig, ParentMessage, ServerMessage } from './auth-bench-protocol';

/** A running auth bench server (a child process on a loopback port). */
export interface AuthBenchServer extends AuthBenchReady {
  /** The server's API key verifier counters. */
  stats(): Promise<ApiKeyVerifierStats>;
  /** The server process's CPU time so far, in microseconds. */
  cpuMicros(): Promise<number>;
  /** Stops the server and waits for the child to exit. */
  stop(): Promise<void>;
}

/** How long the child may take to start or to answer, in milliseconds. */
const CHILD_TIMEOUT_MS = 30_000;

function nextMessage<T extends ServerMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`auth bench server: no ${type} message within ${CHILD_TIMEOUT_MS} ms`)), CHILD_TIMEOUT_MS);
    const onMessage = (message: ServerMessage): void => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<ServerMessage, { type: T }>);
    };
    const onExit = (code: number | null): void => fail(new Error(`auth bench server exited (code ${code}) before sending ${type}`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const fail = (error: Error): void => {
      cleanup();
      reject(error);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * Starts `auth-bench-server.ts` in a child Node process (its own core) and
 * waits until it listens. `config` overrides verifier defaults, for what-if
 * runs. Extra Node flags for the child (for example `--cpu-prof
 * --cpu-prof-dir=/tmp/prof` to profile the server) come from the
 * `BENCH_SERVER_NODE_ARGS` environment variable, split on spaces.
 */
export async function startAuthBenchServer(config: AuthBenchServerConfig = {}): Promise<AuthBenchServer> {
  const entry = fileURLToPath(new URL('./auth-bench-server.ts', import.meta.url));
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((arg) => arg.length > 0);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry, JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (message: ParentMessage): void => {
    child.send(message);
  };
  try {
    const ready = await nextMessage(child, 'ready');
    return {
      ...ready,
      async stats() {
        const reply = nextMessage(child, 'stats');
        send({ type: 'stats' });
        return (await reply).stats;
      },
      async cpuMicros() {
        const reply = nextMessage(child, 'stats');
        send({ type: 'stats' });
        return (await reply).cpuMicros;
      },
      async stop() {
        if (child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        send({ type: 'stop' });
        const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** One GraphQL POST's outcome. */
export interface PostOutcome {
  readonly status: number;
  readonly body: string;
  /** From sending the request to the end of the response, in milliseconds. */
  readonly latencyMs: number;
}

/** Sends one GraphQL POST over `agent` (keep-alive pools bound concurrency). */
export function postGraphql(url: string, query: string, headers: Readonly<Record<string, string>>, agent: Agent): Promise<PostOutcome> {
  const payload = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, latencyMs: performance.now() - start }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A keep-alive agent holding at most `maxSockets` connections. */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { EdgeCheck, MatrixPost, ResolverCalls, RunningServer } from './matrix-app';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';

/** NestJS running the matrix application in a child process, with what the test reads of it. */
export interface NestMatrixServer extends RunningServer {
  /** Publishes a `postAdded` event in the child. */
  publish(post: MatrixPost): void;
  /** Open subscriptions in the child, as last reported. */
  open(): number;
  /** Resolver calls in the child, as reported so far. */
  readonly calls: ResolverCalls;
}

export const NEST_NAME = 'NestJS 12 (Apollo driver)';
const START_TIMEOUT_MS = 60_000;

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts test/servers/nest-matrix-server.ts with tsx: Nest on MongoDB at
 * `mongoUri`/`dbName` (the store), in `mode`, with `operationScopePlugin` when
 * `edge` is `'reject'`, on a free port, GraphQL and graphql-ws on `/graphql`.
 * `nestStatus: 'default'` leaves Nest's `preserveHttpStatusForExecutionErrors` on, as a Nest app does unless told otherwise.
 */
export async function startNest(mode: EnforcementMode, edge: EdgeCheck, mongoUri: string, dbName: string, nestStatus: 'recipe' | 'default' = 'recipe'): Promise<NestMatrixServer> {
  const child = fork(resolve(__dirname, 'nest-matrix-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, MONGODB_URI: mongoUri, MONGODB_DB: dbName, MODE: mode, EDGE: edge, NEST_STATUS: nestStatus },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const calls: ResolverCalls = { hello: 0, posts: 0, stats: 0, createPost: 0, postAdded: 0 };
  let open = 0;
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`Nest did not start within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`Nest exited with ${code}:\n${stderr}`)));
    child.on('message', (message: { ready?: string; open?: number; call?: keyof ResolverCalls }) => {
      if (message.call !== undefined) calls[message.call] += 1;
      if (message.open !== undefined) open = message.open;
      if (message.ready !== undefined) {
        clearTimeout(timer);
        resolvePromise(message.ready);
      }
    });
  });
  return {
    name: NEST_NAME,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    publish: (post) => void child.send({ publish: post }),
    open: () => open,
    calls,
    close: () => stop(child),
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root, the example server's working directory. */
export const REPO_ROOT = resolve(__dirname, '../..');

const READY = /^Server ready at (\S+)$/m;
const EXPORT = /^export ([A-Z_]+)=(\S+)$/gm;
const START_TIMEOUT_MS = 40_000;
const STOP_TIMEOUT_MS = 10_000;

/** A running example server, started as `npm run example` would. */
export interface ExampleServer {
  /** The URL it printed, with port. */
  readonly url: string;
  /** The `export NAME=value` lines it printed (the demo credentials). */
  readonly credentials: Readonly<Record<string, string>>;
  /** Everything printed on stdout so far. */
  stdout(): string;
  /** Sends `signal` and resolves with the exit code (`null` when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Fails fast with a clear message when the package was never built. */
export function assertBuilt(): void {
  for (const file of ['dist/index.js', 'dist/cli/bin.cjs']) {
    if (!existsSync(resolve(REPO_ROOT, file))) {
      throw new Error(`${file} is missing: the example imports the built package. Run \`npm run build\` (\`npm ci\` does it too).`);
    }
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The example server did not exit within ${timeoutMs} ms; killed it.`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code);
    });
  });
}

/**
 * Starts `example-server/server.ts` (or another example's `script`, relative
 * to the repository root) with tsx as a child process on a free
 * port (`PORT=0`) and waits for "Server ready at". `env` replaces the
 * variables it names; `undefined` removes one (the Jest setup exports
 * `MONGODB_URI`, which memory-mode runs must not see).
 */
export async function startExampleServer(env: Readonly<Record<string, string | undefined>> = {}, script = 'example-server/server.ts'): Promise<ExampleServer> {
  assertBuilt();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', JWT_SECRET: undefined, MONGODB_URI: undefined, ...env };
  for (const name of Object.keys(childEnv)) if (childEnv[name] === undefined) delete childEnv[name];
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const url = await new Promise<string>((resolvePromise, reject) => {
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`The example server ${why}.\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed no "Server ready at" within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onData = () => {
      const ready = READY.exec(stdout);
      if (ready?.[1] === undefined) return;
      cleanup();
      resolvePromise(ready[1]);
    };
    const onExit = (code: number | null) => fail(`exited with code ${code} before it was ready`);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });

  const credentials = Object.fromEntries([...stdout.matchAll(EXPORT)].map((match) => [match[1], match[2]]));
  return {
    url,
    credentials,
    stdout: () => stdout,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return waitForExit(child, STOP_TIMEOUT_MS);
    },
  };
}

/** A GraphQL response as the tests read it. */
export interface GraphQLReply {
  readonly status: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: ReadonlyArray<{ readonly message: string; readonly extensions?: Record<string, unknown> }>;
}

/** POSTs one operation, as the quick start's curl commands do. */
export async function postGraphQL(url: string, query: string, headers: Readonly<Record<string, string>> = {}): Promise<GraphQLReply> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as Omit<GraphQLReply, 'status'>;
  return { status: response.status, ...body };
}

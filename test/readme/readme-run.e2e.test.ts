import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mongoose from 'mongoose';
import { testMongoUri, uniqueDbName } from '../support/mongo';
import { isCi } from '../support/mongo-env';
import { type MarkdownBlock, type MarkdownTable, parseMarkdown } from './markdown-blocks';

// Runs the README snippets marked `<!-- snippet: run <name> -->`, verbatim,
// as a user would (`npx tsx server.ts`), against the built package:
//
// - a snippet that prints `Server ready at <url>` is a server: every row of
//   the table marked `<!-- snippet: statuses <name> -->` is sent to it, and
//   the HTTP status, `data` and error codes must be what the row says;
// - any other snippet must exit 0, and print, in order, each line that a
//   `// → <line>` comment in the snippet shows.
//
// Snippets that read MONGODB_URI get a fresh database on the test server.

const REPO_ROOT = resolve(__dirname, '../..');
const DOCUMENT = 'README.md';
const READY = /^Server ready at (\S+)$/m;
const EXPORT = /^export ([A-Z_]+)=(\S+)$/gm;
const PRINTS = /\/\/ → (.*)$/gm;
const TIMEOUT_MS = 60_000;

const markdown = readFileSync(resolve(REPO_ROOT, DOCUMENT), 'utf8');
const { blocks, tables } = parseMarkdown(markdown, DOCUMENT);
const runs = blocks.filter((block) => block.marker?.directive === 'run');

interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function start(file: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor<T>(what: string, running: Running, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (running.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${what} (exit code ${running.child.exitCode})\n--- stdout ---\n${running.stdout()}\n--- stderr ---\n${running.stderr()}`);
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 50));
  }
}

/** A row of a statuses table: `Operation | Authorization | HTTP | data | errors[].extensions`. */
interface StatusRow {
  readonly operation: string;
  readonly authorization: string | undefined;
  readonly status: number;
  readonly data: unknown;
  readonly errors: Array<[string, string | undefined]>;
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

function statusRows(table: MarkdownTable, variables: Readonly<Record<string, string>>): StatusRow[] {
  expect(table.header).toEqual(['Operation', '`Authorization`', 'HTTP', '`data`', '`errors[].extensions`']);
  return table.rows.map(([operation = '', authorization = '', status = '', data = '', errors = '']) => ({
    operation: unquote(operation),
    authorization: authorization === 'none' ? undefined : unquote(authorization).replace(/\$([A-Z_]+)/g, (_match, name: string) => variables[name] ?? `$${name}`),
    status: Number(status),
    data: data === 'absent' ? undefined : JSON.parse(unquote(data)),
    errors:
      errors === 'none'
        ? []
        : errors.split(';').map((error) => {
            const [code = '', scope] = error.split(',').map((part) => unquote(part.trim()));
            return [code, scope];
          }),
  }));
}

function snippetFile(folder: string, block: MarkdownBlock): string {
  const file = join(folder, `${block.marker?.argument ?? 'snippet'}.${block.language === 'ts' ? 'ts' : 'mjs'}`);
  writeFileSync(file, block.body);
  return file;
}

function environment(block: MarkdownBlock): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete env.MONGODB_URI;
  if (!block.body.includes('MONGODB_URI')) return env;
  const server = testMongoUri();
  if (server === null) return env;
  const url = new URL(server);
  url.pathname = `/${uniqueDbName()}`;
  return { ...env, MONGODB_URI: url.toString() };
}

describe(`the runnable snippets of ${DOCUMENT}`, () => {
  let folder = '';
  const children: Running[] = [];
  const databases: string[] = [];
  beforeAll(() => {
    folder = mkdtempSync(join(__dirname, '.run-'));
  });
  afterAll(async () => {
    for (const running of children) running.child.kill('SIGKILL');
    await Promise.all(children.map((running) => running.exited));
    rmSync(folder, { recursive: true, force: true });
    for (const uri of databases) {
      const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 }).asPromise();
      await connection.dropDatabase();
      await connection.close();
    }
  });

  it('include the Apollo quick start and the Mongoose store', () => {
    expect(runs.map((block) => block.marker?.argument).sort()).toEqual(expect.arrayContaining(['apollo-quick-start', 'mongoose']));
  });

  it.each(runs.map((block) => [`${block.marker?.argument} (${DOCUMENT}:${block.line})`, block] as const))('%s runs as written', async (_label, block) => {
    const name = block.marker?.argument ?? '';
    const env = environment(block);
    if (block.body.includes('MONGODB_URI') && env.MONGODB_URI === undefined) {
      if (isCi()) throw new Error(`${name}: no test database under CI`);
      process.stderr.write(`\nSKIPPED (no test database): the README snippet "${name}" did not run.\n`);
      return;
    }
    if (env.MONGODB_URI !== undefined) databases.push(env.MONGODB_URI);
    const running = start(snippetFile(folder, block), env);
    children.push(running);
    const statuses = tables.find((table) => table.marker?.directive === 'statuses' && table.marker.argument === name);
    const expectedLines = [...block.body.matchAll(PRINTS)].map((match) => match[1] ?? '');

    if (statuses !== undefined) {
      const url = await waitFor('"Server ready at"', running, () => READY.exec(running.stdout())?.[1]);
      const variables = Object.fromEntries([...running.stdout().matchAll(EXPORT)].map((match) => [match[1] ?? '', match[2] ?? '']));
      const rows = statusRows(statuses, variables);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const row of rows) {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(row.authorization === undefined ? {} : { authorization: row.authorization }) };
        const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: row.operation }) });
        const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> };
        const seen = {
          operation: row.operation,
          status: response.status,
          data: body.data,
          errors: (body.errors ?? []).map(({ extensions }) => [extensions?.code, extensions?.requiredScope]),
        };
        expect(seen).toEqual({ operation: row.operation, status: row.status, data: row.data, errors: row.errors });
      }
    } else {
      expect(expectedLines.length).toBeGreaterThan(0);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolveTimeout) => (timer = setTimeout(() => resolveTimeout('timeout'), TIMEOUT_MS)));
      const code = await Promise.race([running.exited, timeout]);
      clearTimeout(timer);
      expect({ name, code, stderr: running.stderr() }).toEqual({ name, code: 0, stderr: '' });
      const printed = running.stdout().split('\n');
      let from = 0;
      for (const line of expectedLines) {
        const at = printed.indexOf(line, from);
        expect({ line, printed: at < 0 ? running.stdout() : 'found' }).toEqual({ line, printed: 'found' });
        from = at + 1;
      }
    }
  }, 2 * TIMEOUT_MS);
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CurlRequest, parseCurl, shellWords } from './curl-command';
import { type ExampleServer, REPO_ROOT, assertBuilt, startExampleServer } from './example-server-process';
import { blockCommands, codeBlocks, isShell } from './shell-commands';
import { matchesSample, sampleOf } from '../readme/sample-output';

// Replays the quick start verbatim: each `curl` block followed by a `json`
// block is sent to a fresh example server, in order, and must answer
// exactly that JSON (message texts included: the document shows them).
// The replay stops at the first block that sets MONGODB_URI (that part
// needs a database and keys from the CLI; the other e2e suite covers it).

/** One documented request and the response the document shows for it. */
interface DocumentedCall {
  readonly command: string;
  readonly response: unknown;
}

function documentedCalls(markdown: string): DocumentedCall[] {
  const blocks = codeBlocks(markdown);
  const calls: DocumentedCall[] = [];
  for (const [index, block] of blocks.entries()) {
    if (!isShell(block)) continue;
    if (block.body.includes('MONGODB_URI')) break;
    const commands = blockCommands(block.body);
    const next = blocks[index + 1];
    if (commands.length === 1 && commands[0]?.startsWith('curl ') && next?.language === 'json') {
      calls.push({ command: commands[0], response: JSON.parse(next.body) as unknown });
    }
  }
  return calls;
}

function read(document: string): string {
  return readFileSync(resolve(REPO_ROOT, document), 'utf8');
}

async function send(server: ExampleServer, request: CurlRequest): Promise<unknown> {
  const url = new URL(request.url);
  if (url.origin !== 'http://localhost:4000') throw new Error(`the quick start should call http://localhost:4000/, not ${request.url}`);
  const response = await fetch(new URL(url.pathname + url.search, server.url), {
    method: request.body === undefined ? 'GET' : 'POST',
    headers: request.headers,
    body: request.body ?? null,
  });
  return response.json();
}

const DOCUMENTS = ['README.md'];

describe('the documented npm run scopes output', () => {
  it.each(DOCUMENTS)('is what %s shows', (document) => {
    assertBuilt();
    const result = spawnSync('npm', ['run', '--silent', 'scopes'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Available API Scopes:\n\nanalytics:\n/);
    expect(matchesSample('npm run scopes output', sampleOf(read(document), 'npm run scopes output'), result.stdout)).toBeNull();
  });
});

describe.each(DOCUMENTS)('the quick start of %s, replayed', (document) => {
  const calls = documentedCalls(read(document));
  let server: ExampleServer | undefined;

  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  it('documents the key, editor, publish, JWT and partial-result steps', () => {
    const joined = calls.map((call) => call.command).join('\n');
    for (const variable of ['$READ_KEY', '$EDITOR_KEY', '$ADMIN_KEY', '$DEMO_JWT']) expect(joined).toContain(variable);
    expect(calls.length).toBeGreaterThanOrEqual(8);
  });

  it('prints the banner the README shows', () => {
    if (server === undefined) throw new Error('the example server did not start');
    expect(matchesSample('example server banner (memory)', sampleOf(read(document), 'example server banner (memory)'), server.stdout(), server.url)).toBeNull();
  });

  it('answers every documented curl with the documented JSON', async () => {
    if (server === undefined) throw new Error('the example server did not start');
    for (const { command, response } of calls) {
      const reply = await send(server, parseCurl(shellWords(command, server.credentials)));
      expect({ command, reply }).toEqual({ command, reply: response });
    }
  });
});

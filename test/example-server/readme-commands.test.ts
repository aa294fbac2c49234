import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from '../../src/cli/cli-io';
import { createProgram } from '../../src/cli/program';
import packageJson from '../../package.json';
import { cliInvocations, npmScripts, shellCommands, unknownSubcommand } from './shell-commands';

// The quick start must work verbatim: every `npm run X` it shows is a script
// of package.json, and every `npx graphql-scoped-permissions …` a command of
// the CLI program (asked from the program, not listed here).

const REPO_ROOT = resolve(__dirname, '../..');
const DOCUMENTS = ['README.md'] as const;

const silentIo: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: REPO_ROOT };
const program: Command = createProgram(silentIo);
const scripts = new Set(Object.keys(packageJson.scripts));

/** Every problem with the commands of a Markdown text. */
function problemsOf(markdown: string): string[] {
  const problems: string[] = [];
  for (const command of shellCommands(markdown)) {
    for (const script of npmScripts(command)) {
      if (!scripts.has(script)) problems.push(`${command}: no script "${script}" in package.json`);
    }
    for (const words of cliInvocations(command)) {
      const problem = unknownSubcommand(program, words);
      if (problem !== null) problems.push(`${command}: ${problem}`);
    }
  }
  return problems;
}

function read(document: string): string {
  return readFileSync(resolve(REPO_ROOT, document), 'utf8');
}

describe('the checker', () => {
  const sample = [
    'Text: npm run nope is not in a code block.',
    '```sh',
    '$ npm run example',
    '# npm run commented-out',
    'npm run missing-script',
    'export KEY=$(npx graphql-scoped-permissions keys create --name ci \\',
    '  --scope posts.read)',
    'npx graphql-scoped-permissions kyes list',
    'npx graphql-scoped-permissions keys creat --name x',
    'npx graphql-scoped-permissions scopes example-server/schema.graphql | head',
    'npx graphql-scoped-permissions --help',
    'npx graphql-scoped-permissions',
    '```',
  ].join('\n');

  it('finds the shell commands, with continuations joined', () => {
    expect(shellCommands(sample)).toEqual([
      'npm run example',
      'npm run missing-script',
      'export KEY=$(npx graphql-scoped-permissions keys create --name ci --scope posts.read)',
      'npx graphql-scoped-permissions kyes list',
      'npx graphql-scoped-permissions keys creat --name x',
      'npx graphql-scoped-permissions scopes example-server/schema.graphql | head',
      'npx graphql-scoped-permissions --help',
      'npx graphql-scoped-permissions',
    ]);
  });

  it('reports unknown scripts and CLI commands, and nothing else', () => {
    expect(problemsOf(sample)).toEqual([
      expect.stringContaining('no script "missing-script"'),
      expect.stringContaining('"kyes" is not a command'),
      expect.stringContaining('"keys creat" is not a command'),
      expect.stringContaining('no subcommand'),
    ]);
  });
});

describe.each(DOCUMENTS)('%s', (document) => {
  it('shows only npm scripts and CLI commands that exist', () => {
    expect(problemsOf(read(document))).toEqual([]);
  });

  it('shows the quick start: npm ci, npm run example, the CLI', () => {
    const commands = shellCommands(read(document));
    expect(commands).toContain('npm ci');
    expect(commands).toContain('npm run example');
    expect(commands.some((command) => cliInvocations(command).length > 0)).toBe(true);
  });
});

import type { Command } from 'commander';

const CODE_BLOCK = /^```(\w*)[^\n]*\n([\s\S]*?)^```/gm;
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
const NPM_RUN = /\bnpm run(?:-script)? +([^\s;&|)]+)/g;
const CLI = /\bnpx +graphql-scoped-permissions\b([^;&|)\n]*)/g;

/** A fenced code block of a Markdown text. */
export interface CodeBlock {
  /** The info string's first word (`sh`, `json`, …), or `''`. */
  readonly language: string;
  readonly body: string;
}

/** The fenced code blocks of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(CODE_BLOCK)].map(([, language = '', body = '']) => ({ language, body }));
}

/** Whether a block holds shell commands. */
export function isShell(block: CodeBlock): boolean {
  return SHELL_LANGUAGES.has(block.language);
}

/** The commands of one shell block: continuations joined, prompts and comments dropped. */
export function blockCommands(body: string): string[] {
  return body
    .replace(/\s*\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/^\s*\$ /, '').trim())
    .filter((command) => command !== '' && !command.startsWith('#'));
}

/** The commands of every shell code block of a Markdown text. */
export function shellCommands(markdown: string): string[] {
  return codeBlocks(markdown).filter(isShell).flatMap((block) => blockCommands(block.body));
}

/** The `npm run <script>` names in a command. */
export function npmScripts(command: string): string[] {
  return [...command.matchAll(NPM_RUN)].map((match) => match[1] ?? '');
}

/** The argument words of each `npx graphql-scoped-permissions …` in a command. */
export function cliInvocations(command: string): string[][] {
  return [...command.matchAll(CLI)].map((match) => (match[1] ?? '').trim().split(/\s+/).filter((word) => word !== ''));
}

/**
 * Why `words` do not name a command of `program`, or `null` when they do:
 * each word before the first option must be a subcommand of the one before,
 * until a command without subcommands takes the rest as arguments.
 */
export function unknownSubcommand(program: Command, words: readonly string[]): string | null {
  let command = program;
  const path: string[] = [];
  for (const word of words) {
    if (word.startsWith('-') || command.commands.length === 0) break;
    const next = command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
    if (next === undefined) {
      const known = command.commands.map((sub) => sub.name()).join(', ');
      return `"${[...path, word].join(' ')}" is not a command (${path.length === 0 ? 'commands' : `${path.join(' ')} has`}: ${known})`;
    }
    command = next;
    path.push(word);
  }
  return path.length === 0 && !words.some((word) => word === '--help' || word === '--version' || word === '-h' || word === '-V')
    ? 'no subcommand'
    : null;
}

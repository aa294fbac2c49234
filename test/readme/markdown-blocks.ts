// Reads a Markdown document the way the README snippet harness needs it:
// every fenced code block with its line, and the `<!-- snippet: … -->`
// markers that opt a block out of its check or ask for more checks.

/** What a marker asks for. */
export type SnippetDirective = 'skip' | 'run' | 'statuses';

/**
 * `<!-- snippet: <directive> <argument> -->` on the line right before a
 * fenced block (or, for `statuses`, a table):
 *
 * - `skip <reason>`: the block is not checked; the reason is shown in the
 *   test output as a skipped test, never counted as a pass.
 * - `run <name>`: the block is also run end to end (see readme-run.e2e.test.ts).
 * - `statuses <name>`: the table that follows lists what the `run <name>`
 *   server answers, and the run checks every row.
 */
export interface SnippetMarker {
  readonly line: number;
  readonly directive: SnippetDirective;
  readonly argument: string;
}

/** A fenced code block. */
export interface MarkdownBlock {
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The info string's first word, lower-cased (`ts`, `sh`, …), or `''`. */
  readonly language: string;
  readonly body: string;
  readonly marker: SnippetMarker | undefined;
}

/** A Markdown table: its rows as cells, header and separator left out. */
export interface MarkdownTable {
  readonly line: number;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly marker: SnippetMarker | undefined;
}

/** A document's blocks, its marked tables, and what is wrong with its markers. */
export interface ParsedMarkdown {
  readonly blocks: readonly MarkdownBlock[];
  readonly tables: readonly MarkdownTable[];
  readonly problems: readonly string[];
}

const FENCE = /^(`{3,}|~{3,})\s*([^\s`]*)/;
const MARKER = /^<!--\s*snippet:\s*(\S+)\s*(.*?)\s*-->\s*$/;
const MARKER_START = /^<!--\s*snippet\b/;
const DIRECTIVES: ReadonlySet<string> = new Set<SnippetDirective>(['skip', 'run', 'statuses']);
const MIN_REASON_LENGTH = 10;

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());
}

/**
 * Parses `markdown`. Problems: a marker that is malformed, names no known
 * directive, gives a `skip` without a reason, or is not directly followed by
 * what it applies to (a fence, or a table for `statuses`).
 */
export function parseMarkdown(markdown: string, document = 'README.md'): ParsedMarkdown {
  const lines = markdown.split('\n');
  const blocks: MarkdownBlock[] = [];
  const tables: MarkdownTable[] = [];
  const problems: string[] = [];
  let pending: SnippetMarker | undefined;
  const at = (line: number) => `${document}:${line}`;

  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] ?? '';
    const fence = FENCE.exec(text);
    if (fence !== null) {
      const [, opener = '```', language = ''] = fence;
      const close = new RegExp(`^${opener[0] === '`' ? '`' : '~'}{${opener.length},}\\s*$`);
      let end = index + 1;
      while (end < lines.length && !close.test(lines[end] ?? '')) end += 1;
      if (end >= lines.length) problems.push(`${at(index + 1)}: the code block is never closed`);
      const marker = pending?.directive === 'statuses' ? undefined : pending;
      if (pending?.directive === 'statuses') problems.push(`${at(pending.line)}: "statuses" must come right before a table, not a code block`);
      blocks.push({ line: index + 1, language: language.toLowerCase(), body: lines.slice(index + 1, end).join('\n') + '\n', marker });
      pending = undefined;
      index = end;
      continue;
    }
    if (text.startsWith('|')) {
      const start = index;
      while (index + 1 < lines.length && (lines[index + 1] ?? '').startsWith('|')) index += 1;
      const rows = lines.slice(start, index + 1).map(cells);
      const marker = pending?.directive === 'statuses' ? pending : undefined;
      if (pending !== undefined && marker === undefined) problems.push(`${at(pending.line)}: "${pending.directive}" must come right before a code block, not a table`);
      tables.push({ line: start + 1, header: rows[0] ?? [], rows: rows.slice(2), marker });
      pending = undefined;
      continue;
    }
    if (pending !== undefined) {
      problems.push(`${at(pending.line)}: the marker is not directly followed by what it applies to`);
      pending = undefined;
    }
    if (!MARKER_START.test(text)) continue;
    const match = MARKER.exec(text);
    const directive = match?.[1] ?? '';
    const argument = match?.[2] ?? '';
    if (match === null || !DIRECTIVES.has(directive)) {
      problems.push(`${at(index + 1)}: unknown snippet marker ${JSON.stringify(text)} (use skip <reason>, run <name> or statuses <name>)`);
    } else if (directive === 'skip' && argument.length < MIN_REASON_LENGTH) {
      problems.push(`${at(index + 1)}: "skip" needs a reason of at least ${MIN_REASON_LENGTH} characters`);
    } else if (directive !== 'skip' && !/^[a-z][a-z0-9-]*$/.test(argument)) {
      problems.push(`${at(index + 1)}: "${directive}" needs a kebab-case name`);
    } else {
      pending = { line: index + 1, directive: directive as SnippetDirective, argument };
    }
  }
  if (pending !== undefined) problems.push(`${at(pending.line)}: the marker is not followed by anything`);
  return { blocks, tables, problems };
}

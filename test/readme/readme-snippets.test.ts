import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type MarkdownBlock, parseMarkdown } from './markdown-blocks';
import { SAMPLE_OUTPUTS, matchesSample, sampleKindOf } from './sample-output';
import { PRELUDE_NAMES, SNIPPET_PRELUDE } from './snippet-prelude';
import { type Snippet, type TypeCheckResult, typeCheckSnippets } from './type-check-snippets';

// Every fenced code block of the README is checked here, by language:
//
// - ts/js: type-checked as a module against the built package (`dist/`, through
//   the package's `exports`), with the hidden prelude of snippet-prelude.ts;
//   blocks marked `<!-- snippet: run <name> -->` also run (readme-run.e2e.test.ts);
// - sh: every command is of a kind another suite checks (npm scripts and CLI
//   commands: readme-commands.test.ts; curl: quick-start.e2e.test.ts replays them);
// - json: parses;
// - text: a known kind of output (sample-output.ts), checked here or by the suite that produces it.
//
// A block of any other kind fails, unless `<!-- snippet: skip <reason> -->`
// opts it out: it then shows as a skipped test with its reason.

const REPO_ROOT = resolve(__dirname, '../..');
const DOCUMENT = 'README.md';

const TS_LANGUAGES: ReadonlyMap<string, Snippet['language']> = new Map([
  ['ts', 'ts'],
  ['typescript', 'ts'],
  ['js', 'js'],
  ['javascript', 'js'],
]);
const SHELL_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'shell']);
/** The shell commands the other suites check; anything else needs its own check. */
const KNOWN_COMMANDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^npm (?:ci|test|install|run(?:-script)? [\w:-]+)\b/, 'npm (readme-commands.test.ts: scripts exist)'],
  [/^npx graphql-scoped-permissions\b/, 'the CLI (readme-commands.test.ts: commands exist)'],
  [/^export [A-Z_]+=\$\(npx graphql-scoped-permissions\b/, 'the CLI (readme-commands.test.ts: commands exist)'],
  [/^export [A-Z_]+=\S+$/, 'a variable'],
  [/^curl -s http:\/\/localhost:4000\//, 'curl (quick-start.e2e.test.ts replays it)'],
];

function shellCommandsOf(body: string): string[] {
  return body
    .replace(/\s*\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function read(document: string): string {
  return readFileSync(resolve(REPO_ROOT, document), 'utf8');
}

/** The snippets of the document's ts and js blocks, skipped ones left out. */
function snippetsOf(blocks: readonly MarkdownBlock[]): Snippet[] {
  return blocks.flatMap((block) => {
    const language = TS_LANGUAGES.get(block.language);
    if (language === undefined || block.marker?.directive === 'skip') return [];
    return [{ id: `${DOCUMENT}:${block.line}`, firstLine: block.line + 1, language, code: block.body }];
  });
}

const parsed = parseMarkdown(read(DOCUMENT), DOCUMENT);
const label = (block: MarkdownBlock) => `${DOCUMENT}:${block.line} \`\`\`${block.language || '(no language)'}`;
const checked = parsed.blocks.filter((block) => block.marker?.directive !== 'skip');
const skipped = parsed.blocks.filter((block) => block.marker?.directive === 'skip');

describe('the harness', () => {
  it('type-checks against the built package, and reports errors at their README line', () => {
    const result = typeCheckSnippets(
      [
        { id: 'sample:1', firstLine: 11, language: 'ts', code: "import { scopeDirective } from 'graphql-scoped-permissions';\nconst n: number = scopeDirective;\n" },
        { id: 'sample:2', firstLine: 21, language: 'ts', code: "import { nothingLikeThis } from 'graphql-scoped-permissions/mongoose';\n" },
        { id: 'sample:3', firstLine: 31, language: 'ts', code: 'console.log(store.listGroups);\n' },
        { id: 'sample:4', firstLine: 41, language: 'js', code: "import { parseScope } from 'graphql-scoped-permissions';\nparseScope(42);\n" },
      ],
      REPO_ROOT,
      SNIPPET_PRELUDE,
    );
    expect(result.preludeErrors).toEqual([]);
    expect(result.errors.get('sample:1')).toEqual([expect.stringMatching(/^README\.md:12:7 TS2322: /)]);
    expect(result.errors.get('sample:2')).toEqual([expect.stringMatching(/^README\.md:21:\d+ TS2305: .*nothingLikeThis/)]);
    expect(result.errors.get('sample:3')).toEqual([]);
    expect(result.errors.get('sample:4')).toEqual([expect.stringMatching(/^README\.md:42:\d+ TS2345: /)]);
    expect(result.preludeUses.get('store')).toEqual(['sample:3']);
  });

  it('matches sample output line by line, truncated secrets by their prefix', () => {
    const sample = 'Key:\nexport KEY=gsp_abc…\nServer ready at http://localhost:4000/\n';
    const url = 'http://localhost:51234/';
    expect(matchesSample('demo', sample, `Key:\nexport KEY=gsp_xyz123\nServer ready at ${url}\n`, url)).toBeNull();
    expect(matchesSample('demo', sample, `Key:\nexport TOKEN=gsp_xyz123\nServer ready at ${url}\n`, url)).toMatch(/line 2/);
    expect(matchesSample('demo', sample, `Key:\nexport KEY=gsp_xyz123\nServer ready at ${url}\nmore\n`, url)).toMatch(/5 lines printed, 4 shown/);
    expect(matchesSample('demo', sample, `key:\nexport KEY=gsp_xyz123\nServer ready at ${url}\n`, url)).toMatch(/line 1/);
  });

  it('checks a list_scopes sample against what list_scopes prints for its scopes', () => {
    const block = (body: string): MarkdownBlock => ({ line: 1, language: 'text', body, marker: undefined });
    const good = 'Available API Scopes:\n\nposts:\n  - posts.read\n  - posts.write\n  - posts.delete\n  - posts.publish\n\nTotal: 1 resource, 4 scopes\n';
    const listScopes = SAMPLE_OUTPUTS.find((kind) => kind.name === 'list_scopes sample');
    expect(listScopes?.check?.(block(good))).toEqual([]);
    expect(listScopes?.check?.(block(good.replace('4 scopes', '5 scopes')))).toHaveLength(1);
    expect(listScopes?.check?.(block(good.replace('  - posts.write\n  - posts.delete', '  - posts.delete\n  - posts.write')))).toHaveLength(1);
  });

  it('finds blocks and markers, and refuses markers without a reason or a target', () => {
    const sample = [
      '<!-- snippet: skip because it is pseudo-code -->',
      '```ts',
      'const x = ;',
      '```',
      '<!-- snippet: skip -->',
      '```ts',
      '```',
      '<!-- snippet: run -->',
      '```ts',
      '```',
      '<!-- snippet: rnu typo -->',
      '',
      '<!-- snippet: statuses demo -->',
      '| a | b |',
      '| --- | --- |',
      '| 1 | 2 |',
      '~~~sh',
      'npm test',
      '~~~',
    ].join('\n');
    const { blocks, tables, problems } = parseMarkdown(sample, 'sample.md');
    expect(blocks.map((block) => [block.line, block.language, block.marker?.directive])).toEqual([
      [2, 'ts', 'skip'],
      [6, 'ts', undefined],
      [9, 'ts', undefined],
      [17, 'sh', undefined],
    ]);
    expect(blocks[0]?.marker?.argument).toBe('because it is pseudo-code');
    expect(tables).toEqual([{ line: 14, header: ['a', 'b'], rows: [['1', '2']], marker: { line: 13, directive: 'statuses', argument: 'demo' } }]);
    expect(problems).toEqual([
      expect.stringMatching(/^sample\.md:5: "skip" needs a reason/),
      expect.stringMatching(/^sample\.md:8: "run" needs a kebab-case name/),
      expect.stringMatching(/^sample\.md:11: unknown snippet marker/),
    ]);
  });
});

describe(`${DOCUMENT}: every code block`, () => {
  let result: TypeCheckResult | undefined;
  beforeAll(() => {
    result = typeCheckSnippets(snippetsOf(parsed.blocks), REPO_ROOT, SNIPPET_PRELUDE);
  }, 120_000);

  function typeCheck(): TypeCheckResult {
    if (result === undefined) throw new Error('the snippets were not type-checked');
    return result;
  }

  it('has well-formed snippet markers', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.blocks.length).toBeGreaterThan(20);
  });

  it.each(checked.map((block) => [label(block), block] as const))('%s', (_label, block) => {
    const language = TS_LANGUAGES.get(block.language);
    if (language !== undefined) {
      expect({ block: label(block), errors: typeCheck().errors.get(`${DOCUMENT}:${block.line}`) }).toEqual({ block: label(block), errors: [] });
    } else if (SHELL_LANGUAGES.has(block.language)) {
      const unknown = shellCommandsOf(block.body).filter((command) => !KNOWN_COMMANDS.some(([pattern]) => pattern.test(command)));
      expect(unknown).toEqual([]);
    } else if (block.language === 'json') {
      expect(() => JSON.parse(block.body)).not.toThrow();
    } else if (block.language === 'text') {
      const kind = sampleKindOf(block);
      if (kind === undefined) throw new Error(`${label(block)}: output of no known kind; add one to sample-output.ts, or a skip marker with a reason`);
      if (kind.check !== undefined) expect(kind.check(block)).toEqual([]);
      if (kind.checkedBy !== undefined) {
        const checker = resolve(REPO_ROOT, kind.checkedBy);
        expect(existsSync(checker)).toBe(true);
        expect(readFileSync(checker, 'utf8')).toContain(`'${kind.name}'`);
      }
    } else {
      throw new Error(`${label(block)}: no check for \`\`\`${block.language || '(no language)'} blocks; name its language (ts, sh, json, text) or add a skip marker with a reason`);
    }
  });

  it('has a hidden prelude that compiles and declares only names that snippets use', () => {
    expect(typeCheck().preludeErrors).toEqual([]);
    const unused = Object.keys(PRELUDE_NAMES).filter((name) => (typeCheck().preludeUses.get(name) ?? []).length === 0);
    expect(unused).toEqual([]);
    expect([...typeCheck().preludeUses.keys()].sort()).toEqual(Object.keys(PRELUDE_NAMES).sort());
  });

  it('knows a kind for every text check it delegates, and each delegate exists', () => {
    for (const kind of SAMPLE_OUTPUTS) expect(kind.check !== undefined || kind.checkedBy !== undefined).toBe(true);
  });

  if (skipped.length > 0) {
    // Visible in every run, and never counted as passing.
    it.skip.each(skipped.map((block) => [label(block), block.marker?.argument ?? ''] as const))('%s is opted out: %s', () => undefined);
  }
});

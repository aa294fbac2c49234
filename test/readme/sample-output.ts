import { makeExecutableSchema } from '@graphql-tools/schema';
import { scopeDirective } from '../../src/directive/scope-directive';
import { discoverScopes } from '../../src/scopes/discover-scopes';
import { formatScopes } from '../../src/scopes/format-scopes';
import { type MarkdownBlock, parseMarkdown } from './markdown-blocks';

// The `text` blocks of the README show program output. Each kind of output
// is recognised here and checked either right here (`check`) or by the
// end-to-end suite that produces the real output (`checkedBy`, which must
// call `matchesSample` with the kind's name: the harness verifies that).

/** A kind of sample output the README shows. */
export interface SampleOutputKind {
  readonly name: string;
  readonly matches: (block: MarkdownBlock) => boolean;
  /** Checks the block here: the problems found, none when it is right. */
  readonly check?: (block: MarkdownBlock) => string[];
  /** The test file that checks the block against the real output. */
  readonly checkedBy?: string;
}

/** Rebuilds a `list_scopes` sample from its own scopes and compares: order, layout and the Total line. */
function checkListScopes(block: MarkdownBlock): string[] {
  const resources = [...block.body.matchAll(/^([a-z][a-z0-9_-]*):\n((?: {2}- \S+\n)+)/gm)].map(([, resource = '', list = '']) => ({
    resource,
    actions: [...list.matchAll(/- [a-z0-9_-]+\.(\S+)/g)].map((match) => match[1] ?? ''),
  }));
  const fields = resources.flatMap(({ resource, actions }) => actions.map((action) => `${resource}_${action.replace(/-/g, '_')}: String @scope(resource: "${resource}", action: "${action}")`));
  if (fields.length === 0) return ['no scopes found in the sample'];
  const { scopeDirectiveTypeDefs } = scopeDirective();
  const schema = makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, `type Query { ${fields.join('\n')} }`] });
  const expected = formatScopes(discoverScopes(schema));
  return expected === block.body ? [] : [`the sample is not what list_scopes prints for its own scopes:\n${expected}`];
}

export const SAMPLE_OUTPUTS: readonly SampleOutputKind[] = [
  {
    name: 'example server banner (memory)',
    matches: (block) => block.body.startsWith('graphql-scoped-permissions example server\n') && block.body.includes('Store: in memory'),
    checkedBy: 'test/example-server/quick-start.e2e.test.ts',
  },
  {
    name: 'example server banner (MongoDB)',
    matches: (block) => block.body.startsWith('graphql-scoped-permissions example server\n') && block.body.includes('Store: MongoDB'),
    checkedBy: 'test/example-server/example-server.e2e.test.ts',
  },
  {
    name: 'npm run scopes output',
    matches: (block) => block.body.startsWith('Available API Scopes:\n\nanalytics:\n'),
    checkedBy: 'test/example-server/quick-start.e2e.test.ts',
  },
  {
    name: 'scopes --operations output',
    matches: (block) => block.body.startsWith('Scopes needed by '),
    checkedBy: 'test/cli/operation-scopes.test.ts',
  },
  {
    name: 'list_scopes sample',
    matches: (block) => block.body.startsWith('Available API Scopes:\n'),
    check: checkListScopes,
  },
];

/** The kind of a text block: the first that matches. */
export function sampleKindOf(block: MarkdownBlock): SampleOutputKind | undefined {
  return SAMPLE_OUTPUTS.find((kind) => kind.matches(block));
}

/**
 * Whether real output matches a sample. `url` in the output reads as
 * `http://localhost:4000/`, the README's address. A sample line with `…`
 * stands for a line that starts like it up to the last `=` or space before
 * the `…` (a truncated secret); every other line must be equal.
 *
 * @returns the first difference, or `null` when they match.
 */
export function matchesSample(kind: string, sample: string, output: string, url?: string): string | null {
  const actual = (url === undefined ? output : output.split(url).join('http://localhost:4000/')).split('\n');
  const expected = sample.split('\n');
  if (actual.length !== expected.length) return `${kind}: ${actual.length} lines printed, ${expected.length} shown:\n${output}`;
  for (const [index, line] of expected.entries()) {
    const real = actual[index] ?? '';
    const cut = line.indexOf('…');
    const prefix = cut < 0 ? line : line.slice(0, Math.max(line.lastIndexOf('=', cut), line.lastIndexOf(' ', cut)) + 1);
    if (cut < 0 ? real !== line : !real.startsWith(prefix)) return `${kind}, line ${index + 1}: shown ${JSON.stringify(line)}, printed ${JSON.stringify(real)}`;
  }
  return null;
}

/** The body of the one text block of `kind` in a Markdown document. */
export function sampleOf(markdown: string, kind: string): string {
  const bodies = parseMarkdown(markdown).blocks.filter((block) => block.language === 'text' && sampleKindOf(block)?.name === kind);
  if (bodies.length !== 1) throw new Error(`expected one ${kind} block, found ${bodies.length}`);
  return bodies[0]?.body ?? '';
}

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { scopesCommand } from '../../src/cli/scopes-command';
import { CLI_FIXTURES, runCliInProcess } from './run-cli-in-process';

const BLOG_FILES = ['blog/root.graphql', 'blog/posts.graphql', 'blog/comments.graphql', 'blog/users.gql'];
// Inside the repository, so that the fixture's imports resolve as the project's do; `.tmp/` is ignored by git.
const FOLDER = join(__dirname, '..', '..', '.tmp', 'typed-scopes');

async function generated(): Promise<string> {
  return (await scopesCommand({ schema: BLOG_FILES, cwd: CLI_FIXTURES, format: 'ts' })).stdout;
}

/** Type-checks the files (name → source) in one program with the project's compiler options; returns each file's errors. */
function typeCheck(files: Readonly<Record<string, string>>): Record<string, string[]> {
  const config = ts.readConfigFile(join(__dirname, '..', '..', 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, join(__dirname, '..', '..'));
  const paths = Object.keys(files).map((name) => join(FOLDER, `${name}.ts`));
  Object.entries(files).forEach(([name, source]) => ts.sys.writeFile(join(FOLDER, `${name}.ts`), source));
  const program = ts.createProgram(paths, { ...options, noEmit: true, incremental: false, composite: false, rootDir: undefined, outDir: undefined });
  return Object.fromEntries(
    Object.keys(files).map((name) => {
      const file = program.getSourceFile(join(FOLDER, `${name}.ts`));
      const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
      return [name, diagnostics.map((diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`)];
    }),
  );
}

const header = `
import { createJwtVerifier, hasScope, MemoryScopeStore, scopeDirective, type Principal } from '../../src/index';
import { scopes, type Scope, type ScopeGrant } from './scopes';
declare const principal: Principal;
const store = new MemoryScopeStore();
void createJwtVerifier;
`;

describe('typed scopes (scopes --format ts)', () => {
  beforeAll(async () => {
    await mkdir(FOLDER, { recursive: true });
    await writeFile(join(FOLDER, 'scopes.ts'), await generated());
  });
  afterAll(async () => {
    await rm(FOLDER, { recursive: true, force: true });
  });

  it('prints the Scope union, the wildcard forms and the scopes array', async () => {
    const module = await generated();
    expect(module).toContain("export const scopes = ['comments.delete', 'comments.read', 'comments.write', 'posts.archive', 'posts.delete', 'posts.publish', 'posts.read', 'posts.write', 'users.delete', 'users.read', 'users.write'] as const;");
    expect(module).toContain("  | 'posts.read'\n");
    expect(module).toContain("  | 'posts.*'\n");
    expect(module).toContain("  | '*.publish'\n");
    expect(module).toContain("  | '*';");
    expect(module).toContain('export type ScopeGrant = Scope | ScopeWildcard;');
  });

  it('prints no trailing whitespace (a formatter or an editor would strip it, and --check would then call the file stale)', async () => {
    const module = await generated();
    expect(module.split('\n').filter((line) => /\s$/.test(line))).toEqual([]);
    expect(module).toContain('export type Scope =\n  | \'comments.delete\'\n');
  });

  const misspelled: Array<[string, string]> = [
    ['hasScope', "hasScope<Scope>(principal, 'post.read');"],
    ['createApiKey', "void store.createApiKey<ScopeGrant>({ name: 'ci', scopes: ['posts.raed'] });"],
    ['createApiKey, a wildcard of an unknown resource', "void store.createApiKey<ScopeGrant>({ name: 'ci', scopes: ['post.*'] });"],
    ['a requiredScope hook', "scopeDirective<unknown, Scope>('scope', { requiredScope: () => 'posts.reed' });"],
    ['knownScopes', "scopeDirective<unknown, Scope>('scope', { knownScopes: ['posts.read', 'comment.read'] });"],
  ];
  let errors: Record<string, string[]> = {};
  beforeAll(() => {
    const right = `${header}
      hasScope<Scope>(principal, 'posts.read');
      hasScope(principal, 'anything.at-all');
      void store.createApiKey<ScopeGrant>({ name: 'ci', scopes: ['posts.read', 'comments.*', '*.read', '*'] });
      void store.createApiKey({ name: 'untyped', scopes: ['whatever.read'] });
      scopeDirective<unknown, Scope>('scope', { knownScopes: scopes, requiredScope: ({ scope }) => (scope === 'posts.read' ? 'posts.publish' : null) });
      const all: readonly Scope[] = scopes;
      void all;
    `;
    // One program for every fixture: type-checking the package's sources is what takes the time.
    errors = typeCheck({ right, ...Object.fromEntries(misspelled.map(([, line], index) => [`wrong-${index}`, `${header}\n${line}\nvoid scopes;\n`])) });
  }, 120_000);

  it('compiles the right names, in hasScope, createApiKey and a requiredScope hook, and untyped use', () => {
    expect(errors.right).toEqual([]);
  });

  it.each(misspelled.map(([label], index) => [label, index] as const))('fails to compile a misspelled scope in %s', (_label, index) => {
    const found = errors[`wrong-${index}`] ?? [];
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(/TS2322|TS2345|TS2820/);
  });

  it('--check exits 0 for an up-to-date file and 1 for a stale or missing one', async () => {
    const schemaArgs = BLOG_FILES.map((file) => join(CLI_FIXTURES, file));
    const fresh = await runCliInProcess(['scopes', ...schemaArgs, '--format', 'ts', '--check', join(FOLDER, 'scopes.ts')]);
    expect(fresh.code).toBe(0);
    await writeFile(join(FOLDER, 'stale.ts'), (await generated()).replace("'posts.publish', ", ''));
    const stale = await runCliInProcess(['scopes', ...schemaArgs, '--format', 'ts', '--check', join(FOLDER, 'stale.ts')]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('ERR_STALE_FILE');
    const missing = await runCliInProcess(['scopes', ...schemaArgs, '--format', 'ts', '--check', join(FOLDER, 'missing.ts')]);
    expect(missing.code).toBe(1);
  });

  it('--check accepts a file checked out with CRLF line endings (git core.autocrlf on Windows)', async () => {
    await writeFile(join(FOLDER, 'crlf.ts'), (await generated()).replace(/\n/g, '\r\n'));
    await expect(scopesCommand({ schema: BLOG_FILES, cwd: CLI_FIXTURES, format: 'ts', check: join(FOLDER, 'crlf.ts') })).resolves.toMatchObject({ stdout: '' });
  });

  // Review of issue 19: `--check` beside `--operations` or `--federation` printed that other report and exited 0, checking nothing.
  it.each<[string, string[], string[]]>([
    ['--operations', BLOG_FILES, ['--operations', join(CLI_FIXTURES, 'client/feed.graphql')]],
    ['--federation', ['subgraph/posts.graphql'], ['--federation']],
  ])('--format ts --check with %s exits 1 with ERR_INVALID_OPTIONS, even for a stale file, instead of checking nothing', async (_name, files, extra) => {
    const schemaArgs = files.map((file) => join(CLI_FIXTURES, file));
    await writeFile(join(FOLDER, 'stale-too.ts'), 'stale');
    const run = await runCliInProcess(['scopes', ...schemaArgs, '--format', 'ts', '--check', join(FOLDER, 'stale-too.ts'), ...extra]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ERR_INVALID_OPTIONS');
    expect(run.stdout).toBe('');
  });

  it.each<[string, string[], Record<string, unknown>]>([
    ['operations', BLOG_FILES, { operations: ['client/feed.graphql'] }],
    ['federation', ['subgraph/posts.graphql'], { federation: true }],
  ])('scopesCommand refuses format ts with %s (ERR_INVALID_OPTIONS), rather than printing something else', async (_name, schema, extra) => {
    await expect(scopesCommand({ schema, cwd: CLI_FIXTURES, format: 'ts', ...extra })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS', details: { option: 'format' } });
  });

  // The handler is the API the CLI calls (and tests call); `check` without `format: 'ts'` was only refused by the argument parser.
  it.each<[string, Record<string, unknown>]>([
    ['no format', {}],
    ['format text', { format: 'text' }],
  ])('scopesCommand refuses check with %s (ERR_INVALID_OPTIONS), rather than printing the report and checking nothing', async (_name, extra) => {
    await writeFile(join(FOLDER, 'stale-three.ts'), 'stale');
    await expect(scopesCommand({ schema: BLOG_FILES, cwd: CLI_FIXTURES, check: join(FOLDER, 'stale-three.ts'), ...extra })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS', details: { option: 'check' } });
  });
});

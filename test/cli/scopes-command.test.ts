import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import { scopesCommand } from '../../src/cli/scopes-command';
import { CLI_FIXTURES, linesOf, runCliInProcess } from './run-cli-in-process';

const BLOG_FILES = ['blog/root.graphql', 'blog/posts.graphql', 'blog/comments.graphql', 'blog/users.gql'];

const BLOG_TEXT = `Available API Scopes:

comments:
  - comments.read
  - comments.write
  - comments.delete

posts:
  - posts.read
  - posts.write
  - posts.delete
  - posts.archive
  - posts.publish

users:
  - users.read
  - users.write
  - users.delete

Total: 3 resources, 11 scopes
`;

describe('scopesCommand', () => {
  it('lists the scopes of a multi-file schema as list_scopes did, custom actions and unused standard ones included', async () => {
    const result = await scopesCommand({ schema: BLOG_FILES, cwd: CLI_FIXTURES });
    expect(result).toEqual({ stdout: BLOG_TEXT, stderr: '' });
  });

  it('prints the catalogue with schema coordinates as JSON', async () => {
    const { stdout } = await scopesCommand({ schema: BLOG_FILES, json: true, cwd: CLI_FIXTURES });
    const read = (coordinate: string) => ({ coordinate, action: 'read', actionSource: 'default-read' });
    expect(JSON.parse(stdout)).toEqual({
      resources: [
        {
          resource: 'comments',
          scopes: [
            { scope: 'comments.read', action: 'read', coordinates: ['Query.comments'], fields: [read('Query.comments')], used: true },
            { scope: 'comments.write', action: 'write', coordinates: [], fields: [], used: false },
            { scope: 'comments.delete', action: 'delete', coordinates: [], fields: [], used: false },
          ],
        },
        {
          resource: 'posts',
          scopes: [
            {
              scope: 'posts.read',
              action: 'read',
              coordinates: ['Post.author', 'Post.id', 'Post.title', 'Query.post', 'Query.posts'],
              fields: ['Post.author', 'Post.id', 'Post.title', 'Query.post', 'Query.posts'].map(read),
              used: true,
            },
            { scope: 'posts.write', action: 'write', coordinates: ['Mutation.createPost'], fields: [{ coordinate: 'Mutation.createPost', action: 'write', actionSource: 'default-write' }], used: true },
            {
              scope: 'posts.delete',
              action: 'delete',
              coordinates: ['Mutation.deletePost', 'Mutation.postsBulkDelete'],
              // finding 4: the inferred action shows next to each coordinate, the verb found anywhere in the name
              fields: [
                { coordinate: 'Mutation.deletePost', action: 'delete', actionSource: 'delete-verb' },
                { coordinate: 'Mutation.postsBulkDelete', action: 'delete', actionSource: 'delete-verb' },
              ],
              used: true,
            },
            { scope: 'posts.archive', action: 'archive', coordinates: ['Mutation.archivePost'], fields: [{ coordinate: 'Mutation.archivePost', action: 'archive', actionSource: 'explicit' }], used: true },
            { scope: 'posts.publish', action: 'publish', coordinates: ['Mutation.publishPost'], fields: [{ coordinate: 'Mutation.publishPost', action: 'publish', actionSource: 'explicit' }], used: true },
          ],
        },
        {
          resource: 'users',
          scopes: [
            { scope: 'users.read', action: 'read', coordinates: ['Query.me', 'User.id', 'User.name'], fields: ['Query.me', 'User.id', 'User.name'].map(read), used: true },
            { scope: 'users.write', action: 'write', coordinates: [], fields: [], used: false },
            { scope: 'users.delete', action: 'delete', coordinates: [], fields: [], used: false },
          ],
        },
      ],
    });
  });

  it.each([
    ['a glob over both extensions', ['blog/*.{graphql,gql}']],
    ['a recursive glob', ['**/blog/*']],
    ['a glob plus a file, without duplicates', ['blog/*.graphql', 'blog/users.gql', 'blog/root.graphql']],
  ])('expands %s', async (_label, schema) => {
    const { stdout } = await scopesCommand({ schema, cwd: CLI_FIXTURES });
    expect(stdout).toBe(BLOG_TEXT);
  });

  it('loads a CommonJS module that exports `schema`', async () => {
    const { stdout } = await scopesCommand({ schema: ['module/schema.cjs'], cwd: CLI_FIXTURES });
    expect(stdout).toBe('Available API Scopes:\n\nreports:\n  - reports.read\n  - reports.write\n  - reports.delete\n  - reports.export\n\nTotal: 1 resource, 4 scopes\n');
  });

  it('lists the requirements a code-first module carries in `extensions`, as the same SDL directives', async () => {
    const codeFirst = await scopesCommand({ schema: ['module/code-first.cjs'], cwd: CLI_FIXTURES });
    const sdl = await scopesCommand({ schema: ['module/schema.cjs'], cwd: CLI_FIXTURES });
    expect(codeFirst.stdout).toContain('reports.export');
    expect(codeFirst).toEqual(sdl);
  });

  it('ends the text with the Total line of list_scopes, but not the JSON', async () => {
    const text = await scopesCommand({ schema: BLOG_FILES, cwd: CLI_FIXTURES });
    expect(text.stdout.endsWith('\n\nTotal: 3 resources, 11 scopes\n')).toBe(true);
    const json = await scopesCommand({ schema: BLOG_FILES, json: true, cwd: CLI_FIXTURES });
    expect(json.stdout).not.toContain('Total');
    expect(JSON.parse(json.stdout)).toMatchObject({ resources: expect.any(Array) });
  });

  it('honours --directive for a schema that declares its own directive', async () => {
    const { stdout } = await scopesCommand({ schema: ['custom-directive/schema.graphql'], directive: 'perm', cwd: CLI_FIXTURES });
    expect(stdout).toBe('Available API Scopes:\n\ninvoices:\n  - invoices.read\n  - invoices.write\n  - invoices.delete\n  - invoices.refund\n\nTotal: 1 resource, 4 scopes\n');
  });

  it.each([
    ['a missing file', ['blog/missing.graphql'], 'ERR_SCHEMA_LOAD'],
    ['a glob that matches nothing', ['blog/*.graphqls'], 'ERR_SCHEMA_LOAD'],
    ['an unsupported extension', ['../../../package.json'], 'ERR_SCHEMA_LOAD'],
    ['a syntax error', ['broken/broken.graphql'], 'ERR_SCHEMA_LOAD'],
    ['an invalid schema (User is in the .gql file)', ['blog/*.graphql'], 'ERR_SCHEMA_LOAD'],
    ['a module mixed with SDL', ['module/schema.cjs', 'plain/plain.graphql'], 'ERR_SCHEMA_LOAD'],
    ['a module that exports no schema', ['module/no-schema.cjs'], 'ERR_SCHEMA_LOAD'],
    ['a schema without directive usage', ['plain/plain.graphql'], 'ERR_NO_SCOPES'],
    ['a usage of another directive name', ['custom-directive/schema.graphql'], 'ERR_NO_SCOPES'],
    ['a resource name that breaks the grammar', ['invalid/bad-resource.graphql'], 'ERR_INVALID_SCOPE'],
    ['a directive declared with other arguments', ['invalid/bad-definition.graphql'], 'ERR_INVALID_DIRECTIVE'],
  ])('rejects %s with %s', async (_label, schema, code) => {
    await expect(scopesCommand({ schema, cwd: CLI_FIXTURES })).rejects.toMatchObject({ name: 'ScopedPermissionsError', code });
  });

  it('rejects a bad directive name before reading any file', async () => {
    await expect(scopesCommand({ schema: ['blog/missing.graphql'], directive: 'no-dashes', cwd: CLI_FIXTURES })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
    });
  });

  it('locates a syntax error as file:line:column', async () => {
    expect.assertions(2);
    try {
      await scopesCommand({ schema: ['broken/broken.graphql'], cwd: CLI_FIXTURES });
    } catch (error) {
      expect(error).toBeInstanceOf(ScopedPermissionsError);
      expect((error as ScopedPermissionsError).details).toEqual({ path: 'broken/broken.graphql', line: 3, column: 1 });
    }
  });
});

describe('graphql-scoped-permissions scopes (whole program, in-process)', () => {
  it('prints the scopes and exits 0', async () => {
    const run = await runCliInProcess(['scopes', ...BLOG_FILES], { cwd: CLI_FIXTURES });
    expect(run).toEqual({ code: 0, stdout: BLOG_TEXT, stderr: '' });
  });

  it('passes --json and --directive through', async () => {
    const run = await runCliInProcess(['scopes', '--json', '--directive', 'perm', 'custom-directive/schema.graphql'], { cwd: CLI_FIXTURES });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ resources: [{ resource: 'invoices' }] });
  });

  it.each([
    ['a missing file', ['blog/missing.graphql'], 'ERR_SCHEMA_LOAD'],
    ['a glob that matches nothing', ['nowhere/**/*.graphql'], 'ERR_SCHEMA_LOAD'],
    ['a syntax error', ['broken/broken.graphql'], 'ERR_SCHEMA_LOAD'],
    ['an invalid schema', ['blog/*.graphql'], 'ERR_SCHEMA_LOAD'],
    ['a module that exports no schema', ['module/no-schema.cjs'], 'ERR_SCHEMA_LOAD'],
    ['no directive usage', ['plain/plain.graphql'], 'ERR_NO_SCOPES'],
    ['a malformed directive usage', ['invalid/bad-resource.graphql'], 'ERR_INVALID_SCOPE'],
  ])('exits 1 on %s with one stderr line naming %s, and no stack trace', async (_label, schema, code) => {
    const run = await runCliInProcess(['scopes', ...schema], { cwd: CLI_FIXTURES, env: { DEBUG: '*' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = linesOf(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error ${code}: \\S`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a usage error in commander\'s one line, with its exit code', async () => {
    const run = await runCliInProcess(['scopes'], { cwd: CLI_FIXTURES });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual(["error: missing required argument 'schema'"]);
  });

  it('prints help to stdout and exits 0', async () => {
    const run = await runCliInProcess(['scopes', '--help'], { cwd: CLI_FIXTURES });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: graphql-scoped-permissions scopes \[options\] <schema\.\.\.>/);
  });
});

import { type DocumentNode, execute, type GraphQLSchema } from 'graphql';
import { loadOperations } from '../../src/cli/load-operations';
import { loadSchema } from '../../src/cli/load-schema';
import { scopesForOperations } from '../../src/cli/scopes-command';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { OpenStore } from '../../src/cli/store-handle';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { matchesSample, sampleOf } from '../readme/sample-output';
import { CLI_FIXTURES, REPO_ROOT, runCliInProcess } from './run-cli-in-process';

const BLOG = 'blog/*';
const CLIENT = 'client/**/*.graphql';

const CLIENT_TEXT = `Scopes needed by 4 operation(s):

comments.read
  - query PostPage (client/post-page.graphql): comments
posts.publish
  - mutation Publish (client/post-page.graphql): publishPost
posts.read
  - query Feed (client/feed.graphql): latest, latest.id, latest.title, latest.author
  - query PostPage (client/post-page.graphql): post, post.id, post.title
  - mutation Publish (client/post-page.graphql): publishPost.id
users.read
  - query Feed (client/feed.graphql): latest.author.name

Needs no scope:
  - query Health (client/health.graphql)

Least privilege: comments.read posts.publish posts.read users.read
`;

describe('scopes --operations', () => {
  it('prints the least-privilege scopes of a client folder, and the operations and paths that need each', async () => {
    const run = await runCliInProcess(['scopes', BLOG, '--operations', CLIENT], { cwd: CLI_FIXTURES });
    expect(run).toEqual({ code: 0, stdout: CLIENT_TEXT, stderr: '' });
  });

  it('prints what the README shows', async () => {
    const run = await runCliInProcess(['scopes', BLOG, '--operations', CLIENT], { cwd: CLI_FIXTURES });
    const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
    expect(matchesSample('scopes --operations output', sampleOf(readme, 'scopes --operations output'), run.stdout)).toBeNull();
  });

  it('prints the same as JSON, with each operation’s scoped selections', async () => {
    const run = await runCliInProcess(['scopes', BLOG, '--operations', CLIENT, '--json'], { cwd: CLI_FIXTURES });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Awaited<ReturnType<typeof scopesForOperations>>;
    expect(result.scopes).toEqual(['comments.read', 'posts.publish', 'posts.read', 'users.read']);
    expect(result.byScope['users.read']).toEqual([{ operation: 'query Feed', file: 'client/feed.graphql', paths: ['latest.author.name'] }]);
    expect(result.operations.map((operation) => [operation.operation, operation.scopes])).toEqual([
      ['query Feed', ['posts.read', 'users.read']],
      ['query Health', []],
      ['query PostPage', ['comments.read', 'posts.read']],
      ['mutation Publish', ['posts.publish', 'posts.read']],
    ]);
    expect(result.operations[0]?.selections).toContainEqual({ path: ['latest', 'author', 'name'], coordinate: 'User.name', requiredScope: 'users.read' });
  });

  it('counts a field under @include on a variable as selected, and takes fragments from other files', async () => {
    const { operations } = await scopesForOperations({ schema: [BLOG], operations: ['client/feed.graphql', 'client/fragments.graphql'], cwd: CLI_FIXTURES });
    expect(operations).toHaveLength(1);
    expect(operations[0]?.selections.map((selection) => selection.path.join('.'))).toEqual(['latest', 'latest.id', 'latest.title', 'latest.author', 'latest.author.name']);
  });

  it.each([
    ['an operation that does not validate', ['client-invalid/typo.graphql'], /^error ERR_INVALID_OPERATION: client-invalid\/typo\.graphql:3:5: Cannot query field "titel" on type "Post"/],
    ['a fragment from no file', ['client/feed.graphql'], /^error ERR_INVALID_OPERATION: client\/feed\.graphql: unknown fragment "PostCard"/],
    ['a glob that matches no operation file', ['nowhere/*.graphql'], /^error ERR_INVALID_OPERATION: No operation file/],
    ['files with fragments only', ['client/fragments.graphql'], /^error ERR_INVALID_OPERATION: No operation found in 1 file/],
  ])('refuses %s with ERR_INVALID_OPERATION', async (_label, operations, message) => {
    const run = await runCliInProcess(['scopes', BLOG, '--operations', ...operations], { cwd: CLI_FIXTURES });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('refuses a schema without scopes with ERR_NO_SCOPES', async () => {
    const run = await runCliInProcess(['scopes', 'plain/plain.graphql', '--operations', CLIENT], { cwd: CLI_FIXTURES });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error ERR_NO_SCOPES/);
  });
});

describe('keys create --for-operations', () => {
  const env = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app' };

  function memoryStore(): { store: MemoryScopeStore; openStore: OpenStore; opened: () => number } {
    const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
    let opened = 0;
    return {
      store,
      opened: () => opened,
      openStore: async () => {
        opened += 1;
        return { store, close: async () => undefined };
      },
    };
  }

  it('creates a key with exactly the scopes the operations need', async () => {
    const { store, openStore } = memoryStore();
    const run = await runCliInProcess(['keys', 'create', '--name', 'web-client', '--for-operations', CLIENT, '--schema', BLOG], { env, openStore, cwd: CLI_FIXTURES });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gsp_[0-9A-Za-z]{12}_\S+\n$/);
    const [key] = await store.listApiKeys();
    expect(key?.scopes).toEqual(['comments.read', 'posts.publish', 'posts.read', 'users.read']);
    expect(run.stderr).toContain('comments.read, posts.publish, posts.read, users.read');
  });

  it.each([
    ['without --schema', ['--for-operations', CLIENT]],
    ['with --scope too', ['--for-operations', CLIENT, '--schema', BLOG, '--scope', 'posts.read']],
    ['without --scope or --for-operations', []],
    ['for operations that need no scope (the key would be unrestricted)', ['--for-operations', 'client/health.graphql', '--schema', BLOG]],
  ])('refuses %s with ERR_INVALID_OPTIONS before opening the store', async (_label, extra) => {
    const { store, openStore, opened } = memoryStore();
    const run = await runCliInProcess(['keys', 'create', '--name', 'web-client', ...extra], { env, openStore, cwd: CLI_FIXTURES });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error ERR_INVALID_OPTIONS/);
    expect(opened()).toBe(0);
    await expect(store.listApiKeys()).resolves.toEqual([]);
  });
});

describe('scopes --operations against execution (review-2: least privilege is enough, and no more)', () => {
  // The least-privilege set must run each operation in both modes (never under-reported), and
  // every scope in it must be needed by some selection execution makes (never over-reported),
  // with the variables that select the most (`@include` true).
  const user = { name: 'Ada' };
  const post = { id: 'p1', title: 'Hello', author: user };
  const rootValue = { health: 'ok', posts: [post], post, comments: [{ id: 'c1', body: 'Nice' }], publishPost: post };
  const variables = { id: 'p1', withAuthor: true };

  async function setup() {
    const [raw, explained] = await Promise.all([loadSchema([BLOG], { cwd: CLI_FIXTURES }), scopesForOperations({ schema: [BLOG], operations: [CLIENT], cwd: CLI_FIXTURES })]);
    const operations = await loadOperations([CLIENT], raw, CLI_FIXTURES);
    const schemas = Object.fromEntries((['field', 'operation'] as const).map((enforce) => [enforce, scopeDirective('scope', { enforce }).scopeDirectiveTransformer(raw)]));
    return { explained, operations, schemas };
  }

  async function denials(schema: GraphQLSchema, document: DocumentNode, scopes: readonly string[]): Promise<string[]> {
    const principal = { kind: 'apiKey' as const, id: 'k1', scopes: new Set(scopes) };
    const result = await execute({ schema, document, rootValue, variableValues: variables, contextValue: { principal } });
    return (result.errors ?? []).map((error) => String(error.extensions.code));
  }

  it('runs every operation with exactly the scopes it reports, in both modes', async () => {
    const { explained, operations, schemas } = await setup();
    for (const operation of operations) {
      const { scopes } = explained.operations.find((entry) => entry.operation === `${operation.type} ${operation.name ?? '(anonymous)'}`) ?? { scopes: [] };
      for (const schema of Object.values(schemas)) expect(await denials(schema, operation.document, scopes)).toEqual([]);
    }
  });

  it('reports no scope that execution can do without', async () => {
    const { explained, operations, schemas } = await setup();
    let checked = 0;
    for (const operation of operations) {
      const { scopes } = explained.operations.find((entry) => entry.operation === `${operation.type} ${operation.name ?? '(anonymous)'}`) ?? { scopes: [] };
      for (const scope of scopes) {
        const fewer = scopes.filter((other) => other !== scope);
        expect(await denials(schemas.field as GraphQLSchema, operation.document, fewer)).toContain('FORBIDDEN');
        checked += 1;
      }
    }
    expect(checked).toBe(6); // Feed, PostPage and Publish need two scopes each
  });
});

describe('operations whose requirements a dynamic requiredScope decides from variables (issue 15, finding 6)', () => {
  const env = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app' };
  const DYNAMIC = 'dynamic/schema.cjs';

  function memoryStore(): { store: MemoryScopeStore; openStore: OpenStore } {
    const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
    return { store, openStore: async () => ({ store, close: async () => undefined }) };
  }

  it('scopes --operations says which selections are decided at run time', async () => {
    const run = await runCliInProcess(['scopes', DYNAMIC, '--operations', 'dynamic-client/*.graphql'], { env, cwd: CLI_FIXTURES });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Decided at run time');
    expect(run.stdout).toContain('query OrgReports (dynamic-client/org-reports.graphql): Query.orgReports');
    // A literal argument is judged: the root org needs reports.admin.
    expect(run.stdout).toMatch(/Least privilege: .*reports\.admin/);
  });

  it('keys create --for-operations refuses them, and creates nothing, unless --allow-dynamic', async () => {
    const { store, openStore } = memoryStore();
    const refused = await runCliInProcess(['keys', 'create', '--name', 'app', '--for-operations', 'dynamic-client/org-reports.graphql', '--schema', DYNAMIC], { env, openStore, cwd: CLI_FIXTURES });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error ERR_INVALID_OPERATION: .*Query\.orgReports.*--allow-dynamic/m);
    await expect(store.listApiKeys()).resolves.toEqual([]);

    const allowed = await runCliInProcess(['keys', 'create', '--name', 'app', '--for-operations', 'dynamic-client/org-reports.graphql', '--schema', DYNAMIC, '--allow-dynamic'], { env, openStore, cwd: CLI_FIXTURES });
    expect(allowed.code).toBe(0);
    await expect(store.listApiKeys()).resolves.toEqual([expect.objectContaining({ scopes: ['reports.read'] })]);
  });
});

import { groupsAddUserCommand, groupsListCommand, groupsSetCommand } from '../../src/cli/groups-commands';
import { loadCatalog } from '../../src/cli/load-catalog';
import type { OpenStore } from '../../src/cli/store-handle';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { CLI_FIXTURES, linesOf, runCliInProcess } from './run-cli-in-process';

const MONGO_ENV = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app' };

function opener(store: MemoryScopeStore): OpenStore {
  return async () => ({ store, close: async () => undefined });
}

describe('groupsSetCommand', () => {
  it('creates a group, then replaces its scopes and keeps its members', async () => {
    const store = new MemoryScopeStore();
    await expect(groupsSetCommand(store, { name: 'editors', scopes: ['posts.write', 'posts.read'] })).resolves.toEqual({
      stdout: 'Saved group "editors": posts.read, posts.write; 0 members.\n',
      stderr: '',
    });
    await store.addGroupMember('editors', 'alice');
    await expect(groupsSetCommand(store, { name: 'editors', scopes: ['posts.*'] })).resolves.toMatchObject({
      stdout: 'Saved group "editors": posts.*; 1 member.\n',
    });
    await expect(store.getUserScopes('alice')).resolves.toEqual(['posts.*']);
  });

  it('checks scopes against the schema catalogue and suggests the closest one', async () => {
    const catalog = await loadCatalog(['blog/*'], { cwd: CLI_FIXTURES });
    const store = new MemoryScopeStore();
    await expect(groupsSetCommand(store, { name: 'editors', scopes: ['post.publish'], catalog })).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_SCOPE',
      details: { scope: 'post.publish', suggestion: 'posts.publish' },
    });
    await expect(store.listGroups()).resolves.toEqual([]);
  });

  it.each([
    ['a bad group name', { name: 'bad/name', scopes: ['posts.read'] }, 'ERR_INVALID_INPUT'],
    ['a bad grant', { name: 'editors', scopes: ['posts..read'] }, 'ERR_INVALID_SCOPE'],
  ])('passes the store\'s validation through: %s', async (_label, options, code) => {
    await expect(groupsSetCommand(new MemoryScopeStore(), options)).rejects.toMatchObject({ code });
  });
});

describe('groupsAddUserCommand', () => {
  it('adds a user (idempotent)', async () => {
    const store = new MemoryScopeStore();
    await store.saveGroup({ name: 'editors', scopes: ['posts.read'] });
    const first = await groupsAddUserCommand(store, 'editors', 'alice@example.com');
    const second = await groupsAddUserCommand(store, 'editors', 'alice@example.com');
    expect(first.stdout).toBe('Added user "alice@example.com" to group "editors": posts.read; 1 member.\n');
    expect(second).toEqual(first);
  });

  it('rejects an unknown group with ERR_NOT_FOUND', async () => {
    await expect(groupsAddUserCommand(new MemoryScopeStore(), 'nobody', 'alice')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
  });
});

describe('groupsListCommand', () => {
  it('says so when there are no groups', async () => {
    await expect(groupsListCommand(new MemoryScopeStore())).resolves.toEqual({ stdout: 'No groups.\n', stderr: '' });
  });

  it('lists groups by name with their scopes and members', async () => {
    const store = new MemoryScopeStore();
    await store.saveGroup({ name: 'viewers', scopes: ['*.read'] });
    await store.saveGroup({ name: 'editors', scopes: ['posts.write', 'posts.read'] });
    await store.addGroupMember('editors', 'bob');
    await store.addGroupMember('editors', 'alice');
    await expect(groupsListCommand(store)).resolves.toEqual({
      stdout: ['NAME     SCOPES                   MEMBERS', 'editors  posts.read, posts.write  alice, bob', 'viewers  *.read                   -', ''].join('\n'),
      stderr: '',
    });
  });
});

describe('graphql-scoped-permissions groups (whole program, in-process)', () => {
  it('sets a group from repeated and comma-separated --scope, adds a user, and lists', async () => {
    const store = new MemoryScopeStore();
    const options = { env: MONGO_ENV, openStore: opener(store), cwd: CLI_FIXTURES };
    const set = await runCliInProcess(['groups', 'set', 'editors', '--scope', 'posts.read,posts.write', '--scope', 'posts.publish', '--schema', 'blog/*'], options);
    expect(set).toEqual({ code: 0, stdout: 'Saved group "editors": posts.publish, posts.read, posts.write; 0 members.\n', stderr: '' });
    const added = await runCliInProcess(['groups', 'add-user', 'editors', 'alice'], options);
    expect(added.code).toBe(0);
    const listed = await runCliInProcess(['groups', 'list'], options);
    expect(linesOf(listed.stdout)).toEqual(['NAME     SCOPES                                  MEMBERS', 'editors  posts.publish, posts.read, posts.write  alice']);
  });

  it('reports a typo against the schema in one line', async () => {
    const run = await runCliInProcess(['groups', 'set', 'editors', '--scope', 'posts.pubish', '--schema', 'blog/*'], {
      env: MONGO_ENV,
      openStore: opener(new MemoryScopeStore()),
      cwd: CLI_FIXTURES,
    });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual(['error ERR_UNKNOWN_SCOPE: Unknown scope "posts.pubish": no field in the schema requires it; did you mean posts.publish?']);
  });

  it('reports an unknown group in one line', async () => {
    const run = await runCliInProcess(['groups', 'add-user', 'nobody', 'alice'], { env: MONGO_ENV, openStore: opener(new MemoryScopeStore()) });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^error ERR_NOT_FOUND: /)]);
  });
});

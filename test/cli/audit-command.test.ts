import { userInfo } from 'node:os';
import { actingAs, cliActor } from '../../src/cli/acting-store';
import { auditCommand } from '../../src/cli/audit-command';
import { parseSince } from '../../src/cli/parse-duration';
import type { OpenStore } from '../../src/cli/store-handle';
import type { AuditEntry } from '../../src/store/audit/audit-entry';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { runCliInProcess } from './run-cli-in-process';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const NOW = new Date('2025-01-08T00:00:00.000Z');
const ENV = { MONGODB_URI: 'mongodb://cli-user:s3cr3t-pa55@db.example:27017/app' };

function opener(store: MemoryScopeStore): { openStore: OpenStore; opens: () => number } {
  let opens = 0;
  return {
    opens: () => opens,
    openStore: async () => {
      opens += 1;
      return { store, close: async () => undefined };
    },
  };
}

beforeEach(() => {
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('the CLI records its writes as cli:<OS user>', () => {
  it('names the OS account, never $USER', () => {
    expect(cliActor()).toBe(`cli:${userInfo().username}`);
  });

  it('writes through actingAs carry the actor; options a command passes are kept', async () => {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const acting = actingAs(store, 'cli:alice');
    const { apiKey } = await acting.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    await acting.createApiKey({ name: 'imported', scopes: ['posts.read'] }, { auditAction: 'imported' });
    await acting.revokeApiKey(apiKey.id);
    await acting.saveGroup({ name: 'editors', scopes: ['posts.read'] });
    const entries = await store.listAuditEntries();
    expect(entries.map((entry) => [entry.action, entry.actor])).toEqual([
      ['group-saved', 'cli:alice'],
      ['revoked', 'cli:alice'],
      ['imported', 'cli:alice'],
      ['created', 'cli:alice'],
    ]);
  });

  it('keys create through the whole program is recorded with the CLI actor', async () => {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const run = await runCliInProcess(['keys', 'create', '--name', 'ci', '--scope', 'posts.read'], { env: ENV, openStore: opener(store).openStore, actor: 'cli:bob' });
    expect(run.code).toBe(0);
    await expect(store.listAuditEntries()).resolves.toEqual([expect.objectContaining({ action: 'created', actor: 'cli:bob' })]);
  });
});

describe('audit', () => {
  async function seeded(): Promise<{ store: MemoryScopeStore; keyId: string; key: string }> {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    jest.setSystemTime(new Date('2024-12-01T00:00:00Z'));
    const { apiKey, key } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] }, { actor: 'cli:alice' });
    jest.setSystemTime(new Date('2025-01-05T00:00:00Z'));
    await store.updateApiKey(apiKey.id, { name: 'deploy' }, { actor: 'apiKey:AdminAdmin01' });
    await store.saveGroup({ name: 'editors', scopes: ['posts.read'] }, { actor: 'apiKey:AdminAdmin01' });
    jest.setSystemTime(NOW);
    return { store, keyId: apiKey.id, key };
  }

  it('prints a table, newest first, filtered by key, actor and since', async () => {
    const { store, keyId, key } = await seeded();
    const all = await runCliInProcess(['audit'], { env: ENV, openStore: opener(store).openStore });
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toMatch(/^WHEN\s+ACTOR\s+ACTION\s+TARGET\s+CHANGES/);
    expect(all.stdout).toContain('name: ci -> deploy');
    expect(all.stdout).not.toContain(key);
    const byKey = await runCliInProcess(['audit', '--key', `gsp_${keyId}_…`], { env: ENV, openStore: opener(store).openStore });
    expect(byKey.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s{2,}/)[2])).toEqual(['updated', 'created']);
    const byActor = await runCliInProcess(['audit', '--actor', 'cli:alice', '--json'], { env: ENV, openStore: opener(store).openStore });
    expect(byActor.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { action: string }).action)).toEqual(['created']);
    const recent = await runCliInProcess(['audit', '--since', '7d', '--json'], { env: ENV, openStore: opener(store).openStore });
    expect(recent.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { action: string }).action)).toEqual(['group-saved', 'updated']);
    const group = await runCliInProcess(['audit', '--group', 'editors', '--json'], { env: ENV, openStore: opener(store).openStore });
    expect(JSON.parse(group.stdout.trim()) as unknown).toMatchObject({ action: 'group-saved', target: { type: 'group', name: 'editors' }, at: '2025-01-05T00:00:00.000Z' });
  });

  it.each([
    ['a malformed key', ['--key', 'nope'], 'ERR_INVALID_INPUT'],
    ['a bad group', ['--group', '$where'], 'ERR_INVALID_INPUT'],
    ['a key and a group', ['--key', 'AAAAAAAAAAAA', '--group', 'editors'], 'ERR_INVALID_OPTIONS'],
    ['a bad since', ['--since', 'last week'], 'ERR_INVALID_OPTIONS'],
    ['a future since', ['--since', '2099-01-01'], 'ERR_INVALID_OPTIONS'],
    ['a limit of 0', ['--limit', '0'], 'ERR_INVALID_INPUT'],
    ['a limit of 5000', ['--limit', '5000'], 'ERR_INVALID_INPUT'],
    ['a limit of 10000', ['--limit', '10000'], 'ERR_INVALID_OPTIONS'],
    ['a negative limit', ['--limit', '-1'], 'ERR_INVALID_OPTIONS'],
    ['an actor with a control character', ['--actor', 'a\u0007b'], 'ERR_INVALID_INPUT'],
  ])('refuses %s before opening the database', async (_label, args, code) => {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const { openStore, opens } = opener(store);
    const run = await runCliInProcess(['audit', ...args], { env: ENV, openStore });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(code);
    expect(opens()).toBe(0);
  });

  it('says so when nothing matches, and prints stored text without control characters', async () => {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    await expect(auditCommand(store, {})).resolves.toEqual({ stdout: 'No audit entries.\n', stderr: '' });
    // A document another tool wrote into scoped_audit can hold anything.
    const forged: AuditEntry = { id: '1', at: NOW, actor: 'evil\u001b]0;pwned\u0007', action: 'updated', target: { type: 'apiKey', id: 'AAAAAAAAAAAA' }, changes: [{ field: 'name', before: 'a\u001b[2J', after: 'b' }] };
    const { stdout } = await auditCommand({ listAuditEntries: async () => [forged] }, {});
    expect(stdout).toContain('evil');
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    const json = await auditCommand({ listAuditEntries: async () => [forged] }, { json: true });
    expect(json.stdout.trim()).not.toMatch(/[\u0000-\u001f]/);
  });

  it('parseSince counts back from now', () => {
    expect(parseSince('7d', NOW)).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(parseSince('2024-12-25', NOW)).toEqual(new Date('2024-12-25T00:00:00Z'));
  });
});

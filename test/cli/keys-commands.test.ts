import { keyIdFromReference, keysCreateCommand, keysListCommand, keysRevokeCommand, keysRotateCommand } from '../../src/cli/keys-commands';
import { loadCatalog } from '../../src/cli/load-catalog';
import type { OpenStore } from '../../src/cli/store-handle';
import { maskApiKey, parseApiKey } from '../../src/keys/api-key-format';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { CLI_FIXTURES, linesOf, runCliInProcess } from './run-cli-in-process';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const NOW = new Date('2025-01-01T00:00:00.000Z');
const MONGO_ENV = { MONGODB_URI: 'mongodb://cli-user:s3cr3t-pa55@db.example:27017/app' };

function newStore(): MemoryScopeStore {
  return new MemoryScopeStore({ hashOptions: CHEAP_HASH });
}

/** An `OpenStore` over a memory store that counts opens and closes. */
function memoryOpener(store: MemoryScopeStore): { openStore: OpenStore; opened: string[]; closed: () => number } {
  const opened: string[] = [];
  let closes = 0;
  return {
    opened,
    closed: () => closes,
    openStore: async (uri) => {
      opened.push(uri);
      return {
        store,
        close: async () => {
          closes += 1;
        },
      };
    },
  };
}

beforeEach(() => {
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('keysCreateCommand', () => {
  it('prints the full key as the only stdout line, and the warning on stderr without the key', async () => {
    const store = newStore();
    const result = await keysCreateCommand(store, { name: 'ci', scopes: ['posts.write', 'posts.read'], expiresAt: new Date('2025-04-01T00:00:00Z') });

    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(1);
    const parsed = parseApiKey(lines[0]);
    expect(parsed).not.toBeNull();
    expect(result.stderr).not.toContain(lines[0]);
    expect(result.stderr).not.toContain(parsed?.secret);
    expect(linesOf(result.stderr)).toEqual([
      `Created API key ${maskApiKey('gsp', parsed?.id ?? '')} ("ci") with scopes posts.read, posts.write; expires 2025-04-01T00:00:00Z.`,
      'Copy the key now: it is shown only this once and cannot be retrieved later.',
    ]);
    await expect(store.getApiKey(parsed?.id ?? '')).resolves.toMatchObject({ name: 'ci', scopes: ['posts.read', 'posts.write'] });
  });

  it('requires at least one scope', async () => {
    await expect(keysCreateCommand(newStore(), { name: 'ci', scopes: [] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });

  it('checks scopes against the schema catalogue and suggests the closest one', async () => {
    const catalog = await loadCatalog(['blog/*'], { cwd: CLI_FIXTURES });
    const store = newStore();
    await expect(keysCreateCommand(store, { name: 'ci', scopes: ['posts.raed'], catalog })).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_SCOPE',
      details: { scope: 'posts.raed', suggestion: 'posts.read' },
    });
    await expect(store.listApiKeys()).resolves.toEqual([]);
    await expect(keysCreateCommand(store, { name: 'ci', scopes: ['posts.publish', 'users.*'], catalog })).resolves.toMatchObject({
      stdout: expect.stringMatching(/^gsp_/),
    });
  });

  it.each([
    ['a blank name', { name: '  ', scopes: ['posts.read'] }, 'ERR_INVALID_INPUT'],
    ['a bad grant', { name: 'ci', scopes: ['Posts.Read'] }, 'ERR_INVALID_SCOPE'],
  ])('passes the store\'s validation through: %s', async (_label, options, code) => {
    await expect(keysCreateCommand(newStore(), options)).rejects.toMatchObject({ code });
  });
});

describe('keysListCommand', () => {
  it('says so when there are no keys', async () => {
    await expect(keysListCommand(newStore())).resolves.toEqual({ stdout: 'No API keys.\n', stderr: '' });
  });

  it('shows masked ids, names, scopes and dates, newest first, and never a key or secret', async () => {
    const store = newStore();
    const legacy = await store.createApiKey({ name: 'legacy import' });
    jest.setSystemTime(new Date('2025-01-02T00:00:00Z'));
    const ci = await store.createApiKey({ name: 'ci', scopes: ['posts.read'], expiresAt: new Date('2025-04-01T00:00:00Z') });
    await store.touchApiKey(ci.apiKey.id, new Date('2025-01-03T10:00:00Z'));
    jest.setSystemTime(new Date('2025-01-04T00:00:00Z'));
    await store.revokeApiKey(legacy.apiKey.id);

    const { stdout } = await keysListCommand(store);
    expect(stdout).toBe(
      [
        'ID                  NAME           SCOPES                                OWNER  CREATED               EXPIRES               REVOKED               LAST USED             ROTATION',
        `${maskApiKey('gsp', ci.apiKey.id)}  ci             posts.read                            -      2025-01-02T00:00:00Z  2025-04-01T00:00:00Z  -                     2025-01-03T10:00:00Z  -`,
        `${maskApiKey('gsp', legacy.apiKey.id)}  legacy import  UNRESTRICTED (legacy key, no scopes)  -      2025-01-01T00:00:00Z  never                 2025-01-04T00:00:00Z  never                 -`,
        '',
      ].join('\n'),
    );
    for (const created of [legacy, ci]) {
      expect(stdout).not.toContain(created.key);
      expect(stdout).not.toContain(parseApiKey(created.key)?.secret);
    }
  });
});

describe('finding 11: keys list marks keys without scopes UNRESTRICTED', () => {
  it('labels the legacy key, and only it', async () => {
    const store = newStore();
    const legacy = await store.createApiKey({ name: 'legacy' });
    const scoped = await store.createApiKey({ name: 'scoped', scopes: ['*'] });
    const lines = (await keysListCommand(store)).stdout.split('\n');
    const lineOf = (id: string) => lines.find((line) => line.startsWith(maskApiKey('gsp', id))) ?? '';
    expect(lineOf(legacy.apiKey.id)).toMatch(/\bUNRESTRICTED\b/);
    expect(lineOf(scoped.apiKey.id)).not.toMatch(/UNRESTRICTED/);
  });
});

describe('keysListCommand with owners and rotations', () => {
  it('shows the owner, and each rotation as "from" on the new key and "to" on the old one', async () => {
    const store = newStore();
    const first = await store.createApiKey({ name: 'billing', scopes: ['invoices.read'], ownerId: 'alice' });
    jest.setSystemTime(new Date('2025-01-02T00:00:00Z'));
    const second = await store.rotateApiKey(first.apiKey.id, { gracePeriodMs: 3_600_000 });
    jest.setSystemTime(new Date('2025-01-03T00:00:00Z'));
    const third = await store.rotateApiKey(second.apiKey.id, { gracePeriodMs: 0 });
    const rows = linesOf((await keysListCommand(store)).stdout).slice(1);
    const [m1, m2, m3] = [first, second, third].map(({ apiKey }) => escape(maskApiKey('gsp', apiKey.id)));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(new RegExp(`^${m3} .* alice .*from ${m2}$`));
    expect(rows[1]).toMatch(new RegExp(`^${m2} .* alice .*from ${m1}, to ${m3}$`));
    expect(rows[2]).toMatch(new RegExp(`^${m1} .* alice .*2025-01-02T01:00:00Z .*to ${m2}$`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('keysRotateCommand', () => {
  it('prints the new key as the only stdout line, once; the old key works for the grace period', async () => {
    const store = newStore();
    const { apiKey: old } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'], ownerId: 'alice' });
    const result = await keysRotateCommand(store, maskApiKey('gsp', old.id), 24 * 3_600_000);
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(1);
    const parsed = parseApiKey(lines[0]);
    expect(parsed).not.toBeNull();
    expect(result.stderr).not.toContain(parsed?.secret);
    expect(linesOf(result.stderr)).toEqual([
      `Rotated API key ${maskApiKey('gsp', old.id)} to ${maskApiKey('gsp', parsed?.id ?? '')} ("ci") with scopes posts.read.`,
      'The old key stops working at 2025-01-02T00:00:00Z; the new one expires never.',
      'Copy the key now: it is shown only this once and cannot be retrieved later.',
    ]);
    await expect(store.getApiKey(parsed?.id ?? '')).resolves.toMatchObject({ name: 'ci', scopes: ['posts.read'], ownerId: 'alice', rotatedFrom: old.id });
  });

  it('with --grace 0, stops the old key now', async () => {
    const store = newStore();
    const { apiKey: old } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const result = await keysRotateCommand(store, old.id, 0);
    expect(result.stderr).toContain('The old key stopped working at 2025-01-01T00:00:00Z');
    await expect(store.getApiKey(old.id)).resolves.toMatchObject({ expiresAt: NOW });
  });

  it('refuses a revoked key with ERR_KEY_INACTIVE, and an unknown one with ERR_NOT_FOUND', async () => {
    const store = newStore();
    const { apiKey } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    await store.revokeApiKey(apiKey.id);
    await expect(keysRotateCommand(store, apiKey.id, 0)).rejects.toMatchObject({ code: 'ERR_KEY_INACTIVE' });
    await expect(keysRotateCommand(store, 'AAAAAAAAAAAA', 0)).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(store.listApiKeys()).resolves.toHaveLength(1);
  });
});

describe('keysRevokeCommand', () => {
  it.each([
    ['the bare id', (id: string) => id],
    ['the masked form keys list prints', (id: string) => maskApiKey('gsp', id)],
  ])('revokes a key given %s', async (_label, reference) => {
    const store = newStore();
    const { apiKey } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const result = await keysRevokeCommand(store, reference(apiKey.id));
    expect(result.stdout).toBe(`Revoked API key ${maskApiKey('gsp', apiKey.id)} ("ci") at 2025-01-01T00:00:00Z.\n`);
    await expect(store.getApiKey(apiKey.id)).resolves.toMatchObject({ revokedAt: NOW });
  });

  it('takes only the id from a full key pasted by mistake', async () => {
    const store = newStore();
    const { apiKey, key } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const result = await keysRevokeCommand(store, key);
    expect(result.stdout).not.toContain(parseApiKey(key)?.secret);
    await expect(store.getApiKey(apiKey.id)).resolves.toMatchObject({ revokedAt: NOW });
  });

  it('rejects an unknown id with ERR_NOT_FOUND', async () => {
    await expect(keysRevokeCommand(newStore(), 'AAAAAAAAAAAA')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
  });

  it.each(['', 'short', 'gsp_tooShort_…', 'x'.repeat(500), 'AAAAAAAAAAAA; drop', '{"$ne":null}'])('rejects the malformed id %j without echoing it', (reference) => {
    expect.assertions(2);
    try {
      keyIdFromReference(reference);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
      expect((error as Error).message).not.toContain(reference || '\u0000');
    }
  });
});

describe('graphql-scoped-permissions keys (whole program, in-process)', () => {
  it('creates a key, prints it once, lists it masked, revokes it, and closes the store every time', async () => {
    const store = newStore();
    const opener = memoryOpener(store);
    const options = { env: MONGO_ENV, openStore: opener.openStore, cwd: CLI_FIXTURES };

    const created = await runCliInProcess(['keys', 'create', '--name', 'ci', '--scope', 'posts.read,posts.write', '--scope', 'users.read', '--expires', '90d', '--schema', 'blog/*'], options);
    expect(created.code).toBe(0);
    const [key] = linesOf(created.stdout);
    const parsed = parseApiKey(key);
    expect(parsed).not.toBeNull();
    expect(created.stderr).toContain('expires 2025-04-01T00:00:00Z');
    await expect(store.getApiKey(parsed?.id ?? '')).resolves.toMatchObject({ scopes: ['posts.read', 'posts.write', 'users.read'] });

    const listed = await runCliInProcess(['keys', 'list'], options);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(maskApiKey('gsp', parsed?.id ?? ''));
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(parsed?.secret);

    const revoked = await runCliInProcess(['keys', 'revoke', maskApiKey('gsp', parsed?.id ?? '')], options);
    expect(revoked.code).toBe(0);
    await expect(store.getApiKey(parsed?.id ?? '')).resolves.toMatchObject({ revokedAt: NOW });

    expect(opener.opened).toEqual([MONGO_ENV.MONGODB_URI, MONGO_ENV.MONGODB_URI, MONGO_ENV.MONGODB_URI]);
    expect(opener.closed()).toBe(3);
  });

  it('rotates with keys rotate <id> --grace 24h, and creates owned keys with --owner', async () => {
    const store = newStore();
    const opener = memoryOpener(store);
    const options = { env: MONGO_ENV, openStore: opener.openStore };
    const created = await runCliInProcess(['keys', 'create', '--name', 'ci', '--scope', 'posts.read', '--owner', 'alice'], options);
    const oldId = parseApiKey(linesOf(created.stdout)[0])?.id ?? '';
    await expect(store.getApiKey(oldId)).resolves.toMatchObject({ ownerId: 'alice' });
    const rotated = await runCliInProcess(['keys', 'rotate', maskApiKey('gsp', oldId), '--grace', '24h'], options);
    expect(rotated.code).toBe(0);
    const newId = parseApiKey(linesOf(rotated.stdout)[0])?.id ?? '';
    await expect(store.getApiKey(newId)).resolves.toMatchObject({ rotatedFrom: oldId, ownerId: 'alice' });
    await expect(store.getApiKey(oldId)).resolves.toMatchObject({ expiresAt: new Date('2025-01-02T00:00:00Z') });
    expect(opener.closed()).toBe(2);
  });

  it('creates a key with its own rate limit with --rate-limit, and says so', async () => {
    const store = newStore();
    const opener = memoryOpener(store);
    const created = await runCliInProcess(['keys', 'create', '--name', 'metered', '--scope', 'posts.read', '--rate-limit', '1000/hour'], { env: MONGO_ENV, openStore: opener.openStore });
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('rate limit 1000/hour');
    await expect(store.getApiKey(parseApiKey(linesOf(created.stdout)[0])?.id ?? '')).resolves.toMatchObject({ rateLimit: '1000/hour' });
  });

  it.each(['0/hour', '-1/min', '10/fortnight', '1.5/s', 'fast'])('rejects --rate-limit %j in one line, naming the units, before opening the store', async (rate) => {
    const opener = memoryOpener(newStore());
    const run = await runCliInProcess(['keys', 'create', '--name', 'x', '--scope', 'posts.read', `--rate-limit=${rate}`], { env: MONGO_ENV, openStore: opener.openStore });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^error ERR_INVALID_OPTIONS: .*minute/)]);
    expect(opener.opened).toEqual([]);
  });

  it.each(['', '1y', '-1h', '24', 'soon', '366d'])('rejects --grace %j in one line before opening the store', async (grace) => {
    const opener = memoryOpener(newStore());
    const run = await runCliInProcess(['keys', 'rotate', 'AAAAAAAAAAAA', `--grace=${grace}`], { env: MONGO_ENV, openStore: opener.openStore });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^error ERR_INVALID_OPTIONS: /)]);
    expect(opener.opened).toEqual([]);
  });

  it('prefers --mongo-uri over MONGODB_URI', async () => {
    const opener = memoryOpener(newStore());
    const run = await runCliInProcess(['keys', 'list', '--mongo-uri', 'mongodb://other:27017/x'], { env: MONGO_ENV, openStore: opener.openStore });
    expect(run.code).toBe(0);
    expect(opener.opened).toEqual(['mongodb://other:27017/x']);
  });

  it('suggests the closest scope for a typo, in one line, and creates nothing', async () => {
    const store = newStore();
    const opener = memoryOpener(store);
    const run = await runCliInProcess(['keys', 'create', '--name', 'ci', '--scope', 'posts.raed', '--schema', 'blog/*'], { env: MONGO_ENV, openStore: opener.openStore, cwd: CLI_FIXTURES });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(linesOf(run.stderr)).toEqual(['error ERR_UNKNOWN_SCOPE: Unknown scope "posts.raed": no field in the schema requires it; did you mean posts.read?']);
    await expect(store.listApiKeys()).resolves.toEqual([]);
    expect(opener.closed()).toBe(opener.opened.length);
  });

  it.each(['tomorrow', '90', '0d', '-5d', '1y', '2025-02-30', '2024-12-31', '2025-06-01T12:00:00'])(
    'rejects --expires %j in one line before opening the store',
    async (expires) => {
      const opener = memoryOpener(newStore());
      const run = await runCliInProcess(['keys', 'create', '--name', 'ci', '--scope', 'posts.read', `--expires=${expires}`], { env: MONGO_ENV, openStore: opener.openStore });
      expect(run.code).toBe(1);
      expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^error ERR_INVALID_OPTIONS: /)]);
      expect(opener.opened).toEqual([]);
    },
  );

  it('needs --mongo-uri or MONGODB_URI', async () => {
    const opener = memoryOpener(newStore());
    const run = await runCliInProcess(['keys', 'list'], { env: {}, openStore: opener.openStore });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^error ERR_INVALID_OPTIONS: /)]);
    expect(opener.opened).toEqual([]);
  });

  it('masks URL credentials that commander echoes in a usage error', async () => {
    const run = await runCliInProcess(['keys', 'list', '--mongo-url=mongodb://admin:hunter22@db.example/app']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown option '--mongo-url=mongodb://***@db.example/app'");
    expect(run.stderr).not.toContain('hunter22');
  });

  it('rejects a malformed id before opening the store', async () => {
    const opener = memoryOpener(newStore());
    const run = await runCliInProcess(['keys', 'revoke', 'nope'], { env: MONGO_ENV, openStore: opener.openStore });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^error ERR_INVALID_INPUT: /)]);
    expect(opener.opened).toEqual([]);
  });

  describe('an unexpected error', () => {
    const failingOpen: OpenStore = async (uri) => {
      throw new TypeError(`driver exploded while talking to ${uri}\nsecond line`);
    };

    it('is one line with a DEBUG hint, and hides the connection string', async () => {
      const run = await runCliInProcess(['keys', 'list'], { env: MONGO_ENV, openStore: failingOpen });
      expect(run.code).toBe(1);
      expect(linesOf(run.stderr)).toEqual(['error: unexpected TypeError: driver exploded while talking to *** second line (set DEBUG=graphql-scoped-permissions for the stack trace)']);
    });

    it('comes with its stack trace under DEBUG=graphql-scoped-permissions, still without the password', async () => {
      const run = await runCliInProcess(['keys', 'list'], { env: { ...MONGO_ENV, DEBUG: 'express,graphql-scoped-permissions' }, openStore: failingOpen });
      expect(run.code).toBe(1);
      expect(linesOf(run.stderr).length).toBeGreaterThan(2);
      expect(run.stderr).toMatch(/\n\s+at /);
      expect(run.stderr).not.toContain('s3cr3t-pa55');
    });
  });
});

import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenStore } from '../../src/cli/store-handle';
import { importedKeyId } from '../../src/keys/imported-key-format';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { djangoHash, drfKey, drfRow } from '../support/drf-keys';
import { runCliInProcess } from './run-cli-in-process';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const ENV = { MONGODB_URI: 'mongodb://db.example:27017/app' };

function opener(store: MemoryScopeStore): OpenStore {
  return async () => ({ store, close: async () => undefined });
}

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gsp-import-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('graphql-scoped-permissions keys import / export (whole program, in-process)', () => {
  it('--dry-run reports per line and writes nothing; then imports, then skips duplicates; never prints a hash or a key', async () => {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const keys = [drfKey(), drfKey()];
    const hashes = [await djangoHash('sha512', keys[0]?.key ?? ''), await djangoHash('pbkdf2_sha256', keys[1]?.key ?? '')];
    const file = await tempFile('keys.jsonl', [drfRow({ prefix: keys[0]?.prefix ?? '', hashed_key: hashes[0] ?? '', name: 'billing' }), 'oops', drfRow({ prefix: keys[1]?.prefix ?? '', hashed_key: hashes[1] ?? '', name: 'search', scopes: ['posts.read'] })].join('\n'));
    const options = { env: ENV, openStore: opener(store) };

    const dry = await runCliInProcess(['keys', 'import', file, '--dry-run'], options);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      [
        'DRY RUN: nothing was written.',
        `  WOULD IMPORT: line 1, ${importedKeyId(keys[0]?.prefix ?? '')} ("billing")`,
        `  WOULD IMPORT: line 3, ${importedKeyId(keys[1]?.prefix ?? '')} ("search")`,
        '  REFUSED: line 2: not valid JSON',
        '',
        'Would import 2 keys, skipped 0 duplicates, refused 1 line.',
        '',
      ].join('\n'),
    );
    expect(await store.listApiKeys()).toEqual([]);

    const real = await runCliInProcess(['keys', 'import', file, '--format', 'drf-api-key'], options);
    expect(real.stdout).toContain('Imported 2 keys, skipped 0 duplicates, refused 1 line.');
    expect(real.stderr).toContain("authSchemes: ['Bearer', 'Api-Key']");
    expect((await store.listApiKeys()).map((key) => key.name).sort()).toEqual(['billing', 'search']);

    const again = await runCliInProcess(['keys', 'import', file], options);
    expect(again.stdout).toContain(`  SKIP: line 1, ${importedKeyId(keys[0]?.prefix ?? '')} ("billing") already exists`);
    expect(again.stdout).toContain('Imported 0 keys, skipped 2 duplicates, refused 1 line.');
    for (const output of [dry, real, again].flatMap((run) => [run.stdout, run.stderr])) {
      for (const secret of [...hashes, ...keys.map((key) => key.key)]) expect(output).not.toContain(secret);
    }
  });

  it('records the CLI user as the actor of each import', async () => {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const actors: Array<string | undefined> = [];
    store.onChange((change) => actors.push(change.actor));
    const { prefix, key } = drfKey();
    const file = await tempFile('one.jsonl', drfRow({ prefix, hashed_key: await djangoHash('sha512', key) }));
    await runCliInProcess(['keys', 'import', file], { env: ENV, openStore: opener(store) });
    expect(actors).toEqual([expect.stringMatching(/^cli:\S+$/)]);
  });

  it('exports to a new owner-only file (never overwritten), which imports into another store', async () => {
    const source = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const { apiKey } = await source.createApiKey({ name: 'moved', scopes: ['posts.read'] });
    const dir = await mkdtemp(join(tmpdir(), 'gsp-export-'));
    const out = join(dir, 'keys.jsonl');
    const exported = await runCliInProcess(['keys', 'export', '--out', out], { env: ENV, openStore: opener(source) });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe('');
    expect(exported.stderr).toContain('Wrote 1 key to');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect((await runCliInProcess(['keys', 'export', '--out', out], { env: ENV, openStore: opener(source) })).code).not.toBe(0);

    const target = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const imported = await runCliInProcess(['keys', 'import', out, '--format', 'json'], { env: ENV, openStore: opener(target) });
    expect(imported.stdout).toContain('Imported 1 key');
    await expect(target.getApiKey(apiKey.id)).resolves.toEqual(apiKey);
    expect(await readFile(out, 'utf8')).toContain('"hash":"$argon2id$');
  });

  it.each([
    [['keys', 'import', '/nonexistent/keys.jsonl'], 'Cannot read the import file'],
    [['keys', 'import', 'README.md', '--format', 'csv'], '--format must be one of drf-api-key, json'],
  ])('refuses %j', async (argv, message) => {
    const run = await runCliInProcess(argv, { env: ENV, openStore: opener(new MemoryScopeStore()) });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verifier';
import { importedKeyId } from '../../../src/keys/imported-key-format';
import { importApiKeys } from '../../../src/store/import/import-api-keys';
import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';
import { djangoHash, drfKey } from '../../support/drf-keys';

// The README's Django one-liner, run for real: its Python, taken from the README, runs against stand-in
// modules whose rows carry the fields and types of djangorestframework-api-key's models
// (aware datetimes, a nullable expiry_date, a boolean revoked, scopes on ScopedAPIKey only).

const README = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');

function readmePython(): string {
  const command = /python manage\.py shell -c "([^"]+)"/.exec(README)?.[1];
  if (command === undefined) throw new Error('the Django export command is not in the README');
  return command;
}

function standInModules(rows: ReadonlyArray<Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gsp-django-'));
  const model = [
    'import datetime, json',
    'class _Row:',
    '    def __init__(self, **fields):',
    '        for name, value in fields.items(): setattr(self, name, value)',
    'def _date(text): return None if text is None else datetime.datetime.fromisoformat(text)',
    `_ROWS = json.loads(${JSON.stringify(JSON.stringify(rows))})`,
    'class _Manager:',
    `    def all(self): return [_Row(**{**row, "created": _date(row["created"]), "expiry_date": _date(row["expiry_date"])}) for row in _ROWS]`,
    'class Key:',
    '    objects = _Manager()',
    `ScopedAPIKey = Key`,
    `APIKey = Key`,
  ].join('\n');
  for (const pkg of ['drf_scoped_permissions', 'rest_framework_api_key']) {
    mkdirSync(join(dir, pkg));
    writeFileSync(join(dir, pkg, '__init__.py'), '');
    writeFileSync(join(dir, pkg, 'models.py'), model);
  }
  return dir;
}

describe("the README's Django export command", () => {
  it('prints rows that import, and whose keys then verify', async () => {
    const scoped = drfKey();
    const revoked = drfKey();
    const rows = [
      { prefix: scoped.prefix, hashed_key: await djangoHash('sha512', scoped.key), name: 'billing', created: '2024-05-01T10:20:30.123456+00:00', expiry_date: null, revoked: false, scopes: ['posts.read'] },
      { prefix: revoked.prefix, hashed_key: await djangoHash('pbkdf2_sha256', revoked.key), name: 'old', created: '2023-01-01T00:00:00+01:00', expiry_date: '2030-01-01T00:00:00+00:00', revoked: true, scopes: [] },
    ];
    const output = execFileSync('python3', ['-c', readmePython()], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: standInModules(rows) } });
    const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
    const report = await importApiKeys(store, output.split('\n'), { format: 'drf-api-key' });
    expect(report.refused).toEqual([]);
    expect(report.imported.map((entry) => entry.id)).toEqual([importedKeyId(scoped.prefix), importedKeyId(revoked.prefix)]);
    await expect(store.getApiKey(importedKeyId(revoked.prefix))).resolves.toMatchObject({ revokedAt: expect.any(Date), expiresAt: new Date('2030-01-01T00:00:00Z'), createdAt: new Date('2022-12-31T23:00:00Z') });
    const verifier = createApiKeyVerifier(store, { hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
    await expect(verifier.verify(scoped.key)).resolves.toMatchObject({ ok: true });
    await expect(verifier.verify(revoked.key)).resolves.toEqual({ ok: false, reason: 'revoked' });
    await verifier.dispose();
  });

  it('with plain djangorestframework-api-key (the README\'s other import), rows without scopes import as legacy unrestricted keys', async () => {
    const plainImport = 'from rest_framework_api_key.models import APIKey as Key';
    expect(README).toContain(plainImport);
    const legacy = drfKey();
    const rows = [{ prefix: legacy.prefix, hashed_key: await djangoHash('argon2', legacy.key), name: 'plain', created: '2024-05-01T10:20:30+00:00', expiry_date: null, revoked: false }];
    const python = readmePython().replace('from drf_scoped_permissions.models import ScopedAPIKey as Key', plainImport);
    const output = execFileSync('python3', ['-c', python], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: standInModules(rows) } });
    expect(JSON.parse(output.trim())).not.toHaveProperty('scopes');
    const store = new MemoryScopeStore();
    expect((await importApiKeys(store, output.split('\n'), { format: 'drf-api-key' })).imported).toHaveLength(1);
    await expect(store.getApiKey(importedKeyId(legacy.prefix))).resolves.toMatchObject({ scopes: [] });
  });
});

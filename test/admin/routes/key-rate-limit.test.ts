import { RATE_UNITS } from '../../../src/rate-limit/parse-rate';
import { useSignedInAdmin } from '../support/admin-client';

// The optional "Rate limit" field of the key form (issue 19): created, shown,
// edited, cleared, kept by "Roll key", recorded in the history, and refused
// with an error next to the field for anything parseRate refuses.

const KEY_ID = /^\/admin\/keys\/([A-Za-z0-9]{12})\/created$/;

describe('the key form’s rate limit', () => {
  const admin = useSignedInAdmin({ mode: 'node', admin: { pageSize: 50 } });

  it('offers an optional field whose hint names every unit parseRate accepts', async () => {
    const page = await admin().client.get('/keys/new');
    expect(page.body).toMatch(/<label for="rate-limit">Rate limit<\/label>\s*<input type="text" id="rate-limit" name="rateLimit" value=""/);
    expect(page.body).not.toMatch(/name="rateLimit"[^>]*required/);
    const hint = /<p class="hint" id="rate-limit-hint">([\s\S]*?)<\/p>/.exec(page.body)?.[1] ?? '';
    expect(hint).toContain(`Units: ${Object.keys(RATE_UNITS).join(', ')}.`);
  });

  it('creates a key with a rate limit, and shows it on the created page, in the list and on the key’s page', async () => {
    const { server, client } = admin();
    const created = await client.submit('/keys/new', '/keys/new', { name: 'metered', scope: 'posts.read', rateLimit: ' 100/minute ' });
    expect(created.status).toBe(303);
    const id = KEY_ID.exec(created.location ?? '')?.[1] ?? '';
    await expect(server.store.getApiKey(id)).resolves.toMatchObject({ name: 'metered', rateLimit: '100/minute' });
    expect((await client.get(`/keys/${id}/created`)).body).toContain('<dt>Rate limit</dt><dd class="mono">100/minute</dd>');
    expect((await client.get('/keys')).body).toMatch(/<td data-label="Name">metered<\/td>\s*<td data-label="Scopes">[^<]*<\/td>\s*<td data-label="Rate limit" class="mono">100\/minute<\/td>/);
    expect((await client.get(`/keys/${id}`)).body).toContain('name="rateLimit" value="100/minute"');
  });

  it('creates a key without a limit when the field is blank or absent', async () => {
    const { server, client } = admin();
    for (const form of [{ name: 'blank', scope: 'posts.read', rateLimit: '   ' }, { name: 'absent', scope: 'posts.read' }] as Array<Record<string, string>>) {
      const created = await client.submit('/keys/new', '/keys/new', form);
      expect(created.status).toBe(303);
      await expect(server.store.getApiKey(KEY_ID.exec(created.location ?? '')?.[1] ?? '')).resolves.toMatchObject({ rateLimit: null });
    }
    expect((await client.get('/keys')).body).toMatch(/<td data-label="Name">absent<\/td>\s*<td data-label="Scopes">[^<]*<\/td>\s*<td data-label="Rate limit" class="mono">none<\/td>/);
  });

  const BAD: ReadonlyArray<readonly [string, string | string[]]> = [
    ['a zero count', '0/hour'],
    ['a negative count', '-1/min'],
    ['an unknown unit', '10/fortnight'],
    ['a plural unit', '10/hours'],
    ['a fraction', '1.5/s'],
    ['an exponent', '1e3/s'],
    ['spaces inside', '10 / hour'],
    ['no unit', '10'],
    ['a count over a billion', '1000000001/day'],
    ['an over-long value', `${'9'.repeat(40)}/hour`],
    ['markup', '<script>alert(1)</script>'],
    ['a control character', '10/hour\u0000'],
    ['a value sent twice', ['10/hour', '20/hour']],
  ];

  it.each(BAD)('re-renders the new-key form for %s with the error next to the field, keeps the other values, creates nothing', async (_case, rateLimit) => {
    const { server, client } = admin();
    const before = await server.store.listApiKeys();
    const reply = await client.submit('/keys/new', '/keys/new', { name: 'kept name', scope: 'posts.write', owner: 'alice', expires: '2099-03-04', rateLimit });
    expect(reply.status).toBe(400);
    expect(reply.body).toContain('<h1>New key</h1>');
    expect(reply.body).toMatch(/<p class="error" id="rate-limit-error" role="alert">[^<]+<\/p>/);
    expect(reply.body).toMatch(/id="rate-limit"[^>]*aria-describedby="rate-limit-hint rate-limit-error" aria-invalid="true"/);
    expect(reply.body).not.toMatch(/id="(name|scopes|expires|owner)-error"/);
    expect(reply.body).toContain('value="kept name"');
    expect(reply.body).toMatch(/value="posts\.write" checked/);
    expect(reply.body).toContain('value="alice"');
    expect(reply.body).toContain('value="2099-03-04"');
    expect(reply.body).not.toContain('<script>alert');
    await expect(server.store.listApiKeys()).resolves.toEqual(before);
  });

  it('names the accepted units in the error', async () => {
    const reply = await admin().client.submit('/keys/new', '/keys/new', { name: 'x', scope: 'posts.read', rateLimit: '10/fortnight' });
    const error = /id="rate-limit-error" role="alert">([^<]+)</.exec(reply.body)?.[1] ?? '';
    for (const unit of Object.keys(RATE_UNITS)) expect(error).toContain(unit);
  });

  it('sets, changes and clears the limit on the edit form, each change in the key’s history; a bad value changes nothing', async () => {
    const { server, client } = admin();
    const { apiKey } = await server.store.createApiKey({ name: 'svc', scopes: ['posts.read'] });
    const save = (form: Record<string, string>) => client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'svc', scope: 'posts.read', ...form });
    expect((await save({ rateLimit: '100/minute' })).status).toBe(303);
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ rateLimit: '100/minute' });
    const refused = await save({ name: 'renamed', rateLimit: '10/fortnight' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('id="rate-limit-error"');
    expect(refused.body).toContain('name="rateLimit" value="10/fortnight"');
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ name: 'svc', rateLimit: '100/minute' });
    expect((await save({ rateLimit: '5/s' })).status).toBe(303);
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ rateLimit: '5/s' });
    expect((await save({ rateLimit: '' })).status).toBe(303);
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ rateLimit: null });
    const page = await client.get(`/keys/${apiKey.id}`);
    expect(page.body).toContain('name="rateLimit" value=""');
    const history = page.body.slice(page.body.indexOf('id="history"'));
    expect(history).toContain('<span class="field-name">rate limit</span>: — → 100/minute');
    expect(history).toContain('<span class="field-name">rate limit</span>: 100/minute → 5/s');
    expect(history).toContain('<span class="field-name">rate limit</span>: 5/s → —');
    expect(history).not.toContain('fortnight');
  });

  it('writes nothing when the limit is saved unchanged', async () => {
    const { server, client } = admin();
    const { apiKey } = await server.store.createApiKey({ name: 'svc', scopes: ['posts.read'], rateLimit: '10/hour' });
    const changes: unknown[] = [];
    server.store.onChange((change) => changes.push(change));
    expect((await client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'svc', scope: 'posts.read', rateLimit: '10/hour' })).status).toBe(303);
    expect(changes).toEqual([]);
  });

  it('keeps the rate limit when the key is rolled, and shows it on the new key’s page', async () => {
    const { server, client } = admin();
    const { apiKey: old } = await server.store.createApiKey({ name: 'rolled', scopes: ['posts.read'], rateLimit: '1000/hour' });
    expect((await client.get(`/keys/${old.id}/roll`)).body).toContain('same name, scopes, owner and rate limit');
    const rolled = await client.submit(`/keys/${old.id}/roll`, `/keys/${old.id}/roll`, { grace: '1h' });
    const newId = KEY_ID.exec(rolled.location ?? '')?.[1] ?? '';
    await expect(server.store.getApiKey(newId)).resolves.toMatchObject({ rotatedFrom: old.id, rateLimit: '1000/hour' });
    expect((await client.get(`/keys/${newId}/created`)).body).toContain('<dt>Rate limit</dt><dd class="mono">1000/hour</dd>');
    expect((await client.get(`/keys/${newId}`)).body).toContain('name="rateLimit" value="1000/hour"');
  });

  it('shows the limit on the read-only page of a revoked key', async () => {
    const { server, client } = admin();
    const { apiKey } = await server.store.createApiKey({ name: 'gone', scopes: ['posts.read'], rateLimit: '3/day' });
    await server.store.revokeApiKey(apiKey.id);
    const page = await client.get(`/keys/${apiKey.id}`);
    expect(page.body).not.toContain('name="rateLimit"');
    expect(page.body).toContain('<dt>Rate limit</dt><dd class="mono">3/day</dd>');
  });
});

describe('a rate limit set on the admin page, at the API', () => {
  const admin = useSignedInAdmin({ mode: 'express' });

  async function ask(url: string, key: string): Promise<{ readonly status: number; readonly codes: readonly unknown[] }> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: '{ posts { id } }' }) });
    const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: unknown } }> };
    return { status: response.status, codes: (body.errors ?? []).map((error) => error.extensions?.code) };
  }

  it('is applied by createScopedContext on the same store: the second request of a 1/minute key is RATE_LIMITED, another key is not', async () => {
    const { server, client } = admin();
    const created = await client.submit('/keys/new', '/keys/new', { name: 'tiny', scope: 'posts.read', rateLimit: '1/minute' });
    const id = KEY_ID.exec(created.location ?? '')?.[1] ?? '';
    const key = /id="new-key" value="([^"]+)"/.exec((await client.get(`/keys/${id}/created`)).body)?.[1] ?? '';
    const other = await server.store.createApiKey({ name: 'free', scopes: ['posts.read'] });
    await expect(ask(server.graphqlUrl, key)).resolves.toEqual({ status: 200, codes: [] });
    const refused = await ask(server.graphqlUrl, key);
    expect(refused.codes).toEqual(['RATE_LIMITED']);
    await expect(ask(server.graphqlUrl, other.key)).resolves.toEqual({ status: 200, codes: [] });
    // Cleared on the admin page, the key is free again at once.
    await client.submit(`/keys/${id}`, `/keys/${id}`, { name: 'tiny', scope: 'posts.read', rateLimit: '' });
    await expect(ask(server.graphqlUrl, key)).resolves.toEqual({ status: 200, codes: [] });
  });
});

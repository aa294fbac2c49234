import { useSignedInAdmin } from '../support/admin-client';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('key lifecycle in the browser: roll key, owner, read-only revoked and expired keys, expiry presets', () => {
  const admin = useSignedInAdmin({ mode: 'node', admin: { pageSize: 50 } });

  describe('Roll key', () => {
    it('confirms with a grace period, shows the new key once like the new-key page, and records the rotation', async () => {
      const { apiKey: old } = await admin().server.store.createApiKey({ name: 'billing', scopes: ['posts.read'], ownerId: 'alice' });
      const edit = await admin().client.get(`/keys/${old.id}`);
      expect(edit.body).toContain(`action="/admin/keys/${old.id}/roll"`);
      const confirm = await admin().client.get(`/keys/${old.id}/roll`);
      for (const value of ['none', '1h', '24h', '7d']) expect(confirm.body).toContain(`name="grace" value="${value}"`);
      const before = Date.now();
      const rolled = await admin().client.submit(`/keys/${old.id}/roll`, `/keys/${old.id}/roll`, { grace: '24h' });
      expect(rolled.status).toBe(303);
      const newId = /^\/admin\/keys\/([A-Za-z0-9]{12})\/created$/.exec(rolled.location ?? '')?.[1] ?? '';
      expect(newId).not.toBe(old.id);
      const shown = await admin().client.get(`/keys/${newId}/created`);
      const key = /id="new-key" value="([^"]+)"/.exec(shown.body)?.[1] ?? '';
      expect(key).toMatch(/^gsp_/);
      expect((await admin().client.get(`/keys/${newId}/created`)).body).not.toContain(key);
      const oldNow = await admin().server.store.getApiKey(old.id);
      expect(oldNow?.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + 24 * HOUR_MS);
      expect(oldNow?.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + 24 * HOUR_MS);
      await expect(admin().server.store.getApiKey(newId)).resolves.toMatchObject({ name: 'billing', scopes: ['posts.read'], ownerId: 'alice', rotatedFrom: old.id });
      const [entry] = await admin().server.store.listAuditEntries({ target: { type: 'apiKey', id: newId } });
      expect(entry).toMatchObject({ action: 'rotated', actor: expect.stringMatching(/^apiKey:/), target: { type: 'apiKey', id: old.id }, rotatedTo: newId });
      const history = await admin().client.get(`/keys/${newId}`);
      expect(history.body).toContain('id="history"');
      expect(history.body).toContain('rolled');
      expect(history.body).not.toContain(key);
    });

    it('stops the old key at once with no grace period', async () => {
      const { apiKey: old } = await admin().server.store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
      expect((await admin().client.submit(`/keys/${old.id}/roll`, `/keys/${old.id}/roll`, { grace: 'none' })).status).toBe(303);
      expect((await admin().server.store.getApiKey(old.id))?.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now());
    });

    it.each([
      ['no grace', {}],
      ['an empty grace', { grace: '' }],
      ['an unoffered grace', { grace: '2h' }],
      ['milliseconds', { grace: '3600000' }],
      ['two graces', { grace: ['1h', '7d'] }],
    ])('refuses %s with 400, rolling nothing', async (_label, form: Record<string, string | string[]>) => {
      const { apiKey: old } = await admin().server.store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const reply = await admin().client.submit(`/keys/${old.id}/roll`, `/keys/${old.id}/roll`, form);
      expect(reply.status).toBe(400);
      expect(reply.body).toContain('id="grace-error"');
      await expect(admin().server.store.listApiKeys()).resolves.toHaveLength(2);
      await expect(admin().server.store.getApiKey(old.id)).resolves.toMatchObject({ expiresAt: null });
    });

    it('refuses to roll a revoked key, even by a forged POST (409)', async () => {
      const { apiKey } = await admin().server.store.createApiKey({ name: 'gone', scopes: ['posts.read'] });
      await admin().server.store.revokeApiKey(apiKey.id);
      expect((await admin().client.get(`/keys/${apiKey.id}/roll`)).status).toBe(409);
      expect((await admin().client.submit('/keys', `/keys/${apiKey.id}/roll`, { grace: 'none' })).status).toBe(409);
      await expect(admin().server.store.listApiKeys()).resolves.toHaveLength(2);
    });
  });

  describe('revoked keys', () => {
    it('open read-only with their history; a forged edit is refused (409) and changes nothing', async () => {
      const { apiKey } = await admin().server.store.createApiKey({ name: 'gone', scopes: ['posts.read'] });
      await admin().client.submit(`/keys/${apiKey.id}/revoke`, `/keys/${apiKey.id}/revoke`, {});
      const page = await admin().client.get(`/keys/${apiKey.id}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('read-only');
      for (const control of ['name="name"', 'name="scope"', '/roll"', '/revoke"', 'Extend expiry']) expect(page.body).not.toContain(control);
      expect(page.body).toMatch(/<td data-label="Action"><span class="action action-revoked">revoked<\/span><\/td>/);
      const forged = await admin().client.submit('/keys', `/keys/${apiKey.id}`, { name: 'back to life', scope: 'posts.read', expires: '', expiresIn: 'never' });
      expect(forged.status).toBe(409);
      const extend = await admin().client.submit('/keys', `/keys/${apiKey.id}/extend`, { expiresIn: '365d' });
      expect(extend.status).toBe(409);
      await expect(admin().server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ name: 'gone', revokedAt: expect.any(Date) });
      const list = await admin().client.get('/keys');
      expect(list.body).toContain(`<a href="/admin/keys/${apiKey.id}">View</a>`);
    });
  });

  describe('expired keys', () => {
    it('open read-only, and only "Extend expiry" brings them back, recorded as expiry-extended', async () => {
      const { apiKey } = await admin().server.store.createApiKey({ name: 'old', scopes: ['posts.read'], expiresAt: new Date(Date.now() - DAY_MS) });
      const page = await admin().client.get(`/keys/${apiKey.id}`);
      expect(page.body).toContain(`action="/admin/keys/${apiKey.id}/extend"`);
      const past = await admin().client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}/extend`, { expires: '2001-01-01' });
      expect(past.status).toBe(400);
      expect(past.body).toContain('id="expires-error"');
      const before = Date.now();
      const extended = await admin().client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}/extend`, { expires: '', expiresIn: '90d' });
      expect(extended.status).toBe(303);
      const after = await admin().server.store.getApiKey(apiKey.id);
      expect(after?.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + 90 * DAY_MS);
      const [entry] = await admin().server.store.listAuditEntries({ target: { type: 'apiKey', id: apiKey.id } });
      expect(entry).toMatchObject({ action: 'expiry-extended', actor: expect.stringMatching(/^apiKey:/) });
      // Active again: the page is the edit form, and "extend" no longer applies.
      expect((await admin().client.get(`/keys/${apiKey.id}`)).body).toContain('name="name"');
      expect((await admin().client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}/extend`, { expiresIn: '30d' })).status).toBe(409);
    });
  });

  describe('Owner', () => {
    it('sets, shows, marks in the list and clears the owner; explains the owner bound', async () => {
      const form = await admin().client.get('/keys/new');
      expect(form.body).toContain('id="owner"');
      expect(form.body).toContain('can never exceed its owner');
      const created = await admin().client.submit('/keys/new', '/keys/new', { name: 'alice bot', scope: 'posts.read', owner: ' alice@example.com ' });
      expect(created.status).toBe(303);
      const [key] = await admin().server.store.listApiKeys();
      expect(key?.ownerId).toBe('alice@example.com');
      const list = await admin().client.get('/keys');
      expect(list.body).toContain('owner: alice@example.com');
      expect((await admin().client.get(`/keys/${key?.id ?? ''}`)).body).toContain('value="alice@example.com"');
      const cleared = await admin().client.submit(`/keys/${key?.id ?? ''}`, `/keys/${key?.id ?? ''}`, { name: 'alice bot', scope: 'posts.read', owner: '' });
      expect(cleared.status).toBe(303);
      await expect(admin().server.store.getApiKey(key?.id ?? '')).resolves.toMatchObject({ ownerId: null });
      const [entry] = await admin().server.store.listAuditEntries({ target: { type: 'apiKey', id: key?.id ?? '' } });
      expect(entry?.changes).toEqual([{ field: 'ownerId', before: 'alice@example.com', after: null }]);
    });

    it.each([
      ['a control character', 'ali\u0007ce'],
      ['a bidi override', 'ali\u202Ece'],
      ['201 characters', 'o'.repeat(201)],
    ])('refuses an owner with %s (400, next to the field)', async (_label, owner) => {
      const reply = await admin().client.submit('/keys/new', '/keys/new', { name: 'bot', scope: 'posts.read', owner });
      expect(reply.status).toBe(400);
      expect(reply.body).toContain('id="owner-error"');
      await expect(admin().server.store.listApiKeys()).resolves.toHaveLength(1);
    });
  });

  describe('expiry presets', () => {
    it.each([
      ['30d', 30],
      ['90d', 90],
      ['365d', 365],
    ])('"%s" expires the new key that many days from now', async (preset, days) => {
      const before = Date.now();
      await admin().client.submit('/keys/new', '/keys/new', { name: 'preset', scope: 'posts.read', expires: '', expiresIn: preset });
      const [key] = await admin().server.store.listApiKeys({ search: 'preset' });
      expect(key?.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + days * DAY_MS);
      expect(key?.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + days * DAY_MS);
    });

    it('"never" clears an expiry, and the date field still works without a preset', async () => {
      await admin().client.submit('/keys/new', '/keys/new', { name: 'dated', scope: 'posts.read', expires: '2099-01-01', expiresIn: 'date' });
      const [key] = await admin().server.store.listApiKeys({ search: 'dated' });
      expect(key?.expiresAt).toEqual(new Date('2099-01-01T00:00:00Z'));
      await admin().client.submit(`/keys/${key?.id ?? ''}`, `/keys/${key?.id ?? ''}`, { name: 'dated', scope: 'posts.read', expires: '2099-01-01', expiresIn: 'never' });
      await expect(admin().server.store.getApiKey(key?.id ?? '')).resolves.toMatchObject({ expiresAt: null });
    });

    it.each([['an unknown preset', 'tomorrow'], ['two presets', ['30d', 'never']]])('refuses %s with 400', async (_label, expiresIn) => {
      const reply = await admin().client.submit('/keys/new', '/keys/new', { name: 'bad', scope: 'posts.read', expiresIn });
      expect(reply.status).toBe(400);
      expect(reply.body).toContain('id="expires-error"');
    });
  });
});

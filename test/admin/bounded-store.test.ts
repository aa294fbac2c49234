import { boundedStore } from '../../src/admin/bounded-store';
import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import type { ScopeStore } from '../../src/store/scope-store';
import { AdminClient } from './support/admin-client';
import { type AdminTestServer, TEST_HASH_OPTIONS, startAdminTestServer } from './support/admin-test-server';

const TIMEOUT_MS = 200;
const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('the admin page against a store that never answers', () => {
  let server: AdminTestServer;
  let client: AdminClient;
  let keyId: string;
  beforeEach(async () => {
    server = await startAdminTestServer({ mode: 'node', admin: { storeTimeoutMs: TIMEOUT_MS } });
    client = new AdminClient(server.adminUrl);
    await client.signIn(server.adminKey);
    keyId = (await server.store.createApiKey({ name: 'ci', scopes: ['posts.read'] })).apiKey.id;
    await server.store.saveGroup({ name: 'Editors', scopes: ['posts.read'] });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await server.close();
  });

  it.each<[string, keyof ScopeStore, (client: AdminClient, keyId: string) => Promise<{ status: number; body: string }>]>([
    ['the keys list', 'listApiKeys', (c) => c.get('/keys')],
    ['a key’s page', 'getApiKey', (c, id) => c.get(`/keys/${id}`)],
    ['the new-key POST', 'createApiKey', async (c) => c.post('/keys/new', { _csrf: await c.token('/keys/new'), name: 'new', scope: 'posts.read' })],
    ['the groups list', 'listGroups', (c) => c.get('/groups')],
    ['a group’s page', 'getGroup', (c) => c.get('/groups/Editors/edit')],
    ['a revoke', 'revokeApiKey', async (c, id) => c.post(`/keys/${id}/revoke`, { _csrf: await c.token(`/keys/${id}/revoke`) })],
    ['a scope change', 'setApiKeyScopes', async (c, id) => c.post(`/keys/${id}`, { _csrf: await c.token(`/keys/${id}`), name: 'ci', scope: 'posts.write' })],
    ['a new group', 'saveGroup', async (c) => c.post('/groups/new', { _csrf: await c.token('/groups/new'), name: 'Writers', scope: 'posts.write' })],
  ])('%s (%s) answers the 503 page within storeTimeoutMs', async (_label, method, send) => {
    // Sign-in and the session checks go through the verifier (bounded already); the page's own call hangs.
    jest.spyOn(server.store, method as 'listGroups').mockImplementation(never);
    const started = performance.now();
    const reply = await send(client, keyId);
    const elapsedMs = performance.now() - started;
    expect(reply.status).toBe(503);
    expect(reply.body).toContain('The key store is not answering');
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 5_000);
  });
});

describe('boundedStore', () => {
  it('passes answers and the store’s own errors through, and times out only what hangs', async () => {
    const store = new MemoryScopeStore({ hashOptions: TEST_HASH_OPTIONS });
    const bounded = boundedStore(store, 50);
    await bounded.saveGroup({ name: 'Editors', scopes: ['posts.read'] });
    await expect(bounded.listGroups()).resolves.toEqual([expect.objectContaining({ name: 'Editors' })]);
    await expect(bounded.deleteGroup('Nobody')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(bounded.createApiKey({ name: 'ci', scopes: ['not a scope'] })).rejects.toMatchObject({ code: 'ERR_INVALID_SCOPE' });
    jest.spyOn(store, 'getUserScopes').mockImplementation(never);
    const timedOut = bounded.getUserScopes('alice');
    await expect(timedOut).rejects.toBeInstanceOf(ScopedPermissionsError);
    await expect(timedOut).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', details: { operation: 'getUserScopes', timeoutMs: 50 } });
    expect(bounded.hashOptions).toBe(store.hashOptions);
    const seen: string[] = [];
    const unsubscribe = bounded.onChange((change) => seen.push(change.type));
    expect(typeof unsubscribe).toBe('function');
    await bounded.saveGroup({ name: 'Editors', scopes: ['posts.write'] });
    expect(seen).toEqual(['group']);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { buildSchema } from 'graphql';
import { createScopedContext } from '../../src/auth/create-scoped-context';
import { type GatewayFetchPayload, useGatewayScopedPermissions } from '../../src/envelop/use-gateway-scoped-permissions';
import { FORWARDED_PRINCIPAL_HEADER } from '../../src/federation/forwarded-principal';
import type { Principal } from '../../src/principal/principal';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';

const gatewayKeys = generateKeyPairSync('ed25519');
const TTL_MS = 60_000;
const FORWARD = { privateKey: gatewayKeys.privateKey, issuer: 'gateway', audience: 'posts', ttlMs: TTL_MS, catalog: { resources: [] } };
const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
const gatewayContext = createScopedContext({ store });
const subgraphContext = createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: 'gateway', audience: 'posts' } });
afterAll(async () => {
  await gatewayContext.dispose();
  await subgraphContext.dispose();
});
afterEach(() => jest.useRealTimers());

/** The plugin, after the gateway told it its supergraph (Hive Gateway does before any request). */
function gatewayPlugin(): ReturnType<typeof useGatewayScopedPermissions> {
  const plugin = useGatewayScopedPermissions({ context: gatewayContext, forward: FORWARD });
  const onSchemaChange = plugin.onSchemaChange as (payload: { schema: ReturnType<typeof buildSchema> }) => void;
  onSchemaChange({ schema: buildSchema('type Query { hello: String }') });
  return plugin;
}

/** The headers the plugin sets on one subgraph fetch of this request context. */
async function fetchHeaders(plugin: ReturnType<typeof useGatewayScopedPermissions>, context: GatewayFetchPayload['context']): Promise<Record<string, string>> {
  let headers: Record<string, string> = {};
  await plugin.onFetch({ context, options: { headers: {} }, setOptions: (options) => (headers = options.headers ?? {}) });
  return headers;
}

describe('useGatewayScopedPermissions forwarding', () => {
  it('a request that outlives ttlMs (a subscription\'s entity fetches) still forwards a token the subgraph accepts', async () => {
    const now = 1_800_000_000_000;
    jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const plugin = gatewayPlugin();
    const principal: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(['posts.read']) };
    const context = { principal } as unknown as GatewayFetchPayload['context'];
    const first = await fetchHeaders(plugin, context);
    expect((await subgraphContext({ req: { headers: first } })).principal.id).toBe('k1');
    jest.setSystemTime(now + TTL_MS + 1_000);
    const later = await fetchHeaders(plugin, context);
    expect(later[FORWARDED_PRINCIPAL_HEADER]).not.toBe(first[FORWARDED_PRINCIPAL_HEADER]);
    expect((await subgraphContext({ req: { headers: later } })).principal.id).toBe('k1');
  });

  // A renewal is a new signature, long after the request authenticated its caller: it signs the caller as its credential stands now.
  it.each<[string, Principal | null, string[] | undefined]>([
    ['revoked since: forwards no principal', null, undefined],
    ['narrowed since: forwards only the scopes it holds now', { kind: 'apiKey', id: 'k3', scopes: new Set(['posts.list']) }, ['posts.list']],
  ])('a renewal re-reads the credential (%s)', async (_label, now, scopes) => {
    const start = 1_800_000_000_000;
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const plugin = gatewayPlugin();
    let current: Principal | null = { kind: 'apiKey', id: 'k3', scopes: new Set(['posts.read', 'posts.list']) };
    const principal: Principal = { ...current, revalidate: async () => current };
    const context = { principal } as unknown as GatewayFetchPayload['context'];
    const first = await fetchHeaders(plugin, context);
    expect([...(await subgraphContext({ req: { headers: first } })).principal.scopes].sort()).toEqual(['posts.list', 'posts.read']);
    current = now;
    jest.setSystemTime(start + TTL_MS);
    const later = await fetchHeaders(plugin, context);
    expect(later[FORWARDED_PRINCIPAL_HEADER] === undefined ? undefined : [...(await subgraphContext({ req: { headers: later } })).principal.scopes]).toEqual(scopes);
  });

  it('signs once per request and audience while the token is fresh', async () => {
    const plugin = gatewayPlugin();
    const context = { principal: { kind: 'apiKey', id: 'k2', scopes: new Set(['posts.read']) } } as unknown as GatewayFetchPayload['context'];
    const tokens = await Promise.all([1, 2, 3].map(async () => (await fetchHeaders(plugin, context))[FORWARDED_PRINCIPAL_HEADER]));
    expect(new Set(tokens).size).toBe(1);
  });
});

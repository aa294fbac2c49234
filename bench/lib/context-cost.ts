import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { createScopedContext } from '../../src/index';
import type { ScopeStore } from '../../src/index';
import { alternatingRounds, type RoundSamples } from './alternating-rounds';

/** Options of {@link measureContextCost}. */
export interface ContextCostPlan {
  readonly batch: number;
  readonly blocks: number;
  readonly rounds: number;
}

/** The store methods that are queries, counted while the contenders run. */
const QUERIES = new Set(['findApiKeyCredential', 'getUserScopes', 'touchApiKey', 'updateApiKeyHash']);

/** `store`, with a count of its query calls. A Proxy: every other property, `watchChanges` included, passes through. */
export function countingQueries(store: ScopeStore): { store: ScopeStore; queries: () => number } {
  let count = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!QUERIES.has(property)) return method.bind(target);
      return (...args: unknown[]) => {
        count += 1;
        return method.apply(target, args);
      };
    },
  });
  return { store: counted, queries: () => count };
}

/** What {@link measureContextCost} returns: ms per call by mode, and the store queries the timed rounds made. */
export interface ContextCost {
  readonly samples: RoundSamples;
  /** Store query calls during the timed rounds (after the untimed first call of each mode). */
  readonly queriesDuringRounds: number;
  /** Calls made in the timed and warm-up rounds, all modes together. */
  readonly calls: number;
}

/**
 * Times `createScopedContext`'s function in process, without HTTP, warm:
 * no credentials, an API key, an HS256 JWT whose subject is in a group (the
 * group union), and a session user from `getUser` in the same group.
 * `store` must be empty; it is filled here.
 */
export async function measureContextCost(store: ScopeStore, plan: ContextCostPlan): Promise<ContextCost> {
  const { key } = await store.createApiKey({ name: 'bench', scopes: ['greetings.read'] });
  await store.saveGroup({ name: 'readers', scopes: ['posts.read', 'comments.read'] });
  await store.addGroupMember('readers', 'bench-user');
  const secret = randomBytes(32);
  const token = await new SignJWT({ scope: 'greetings.read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-user')
    .setIssuer('bench')
    .setAudience('bench-api')
    .setExpirationTime('2h')
    .sign(secret);
  const counted = countingQueries(store);
  // Long TTLs: this measures the warm path only (the HTTP runs include expiries).
  const context = createScopedContext({
    store: counted.store,
    verifier: { cacheTtlMs: 3_600_000 },
    userScopes: { groupCacheTtlMs: 3_600_000 },
    jwt: { secret, issuer: 'bench', audience: 'bench-api', tokenCacheTtlMs: 3_600_000 },
    getUser: (req: { headers: Record<string, string | undefined> }) => (req.headers['x-session'] === undefined ? null : { id: 'bench-user' }),
  });
  const requests = {
    none: { headers: {} },
    apiKey: { headers: { 'x-api-key': key } },
    jwt: { headers: { authorization: `Bearer ${token}` } },
    user: { headers: { 'x-session': '1' } },
  };
  try {
    for (const [mode, req] of Object.entries(requests)) {
      const { principal } = await context({ req });
      const expected = mode === 'none' ? 'anonymous' : mode;
      if (principal.kind !== expected) throw new Error(`context cost: ${mode} gave a ${principal.kind} principal`);
      if ((mode === 'jwt' || mode === 'user') && !principal.scopes.has('posts.read')) throw new Error(`context cost: ${mode} lacks the group's scopes`);
    }
    const before = counted.queries();
    const samples = await alternatingRounds(
      Object.entries(requests).map(([name, req]) => ({ name, run: () => context({ req }) })),
      { ...plan, warmupRounds: 2 },
    );
    const calls = Object.keys(requests).length * (plan.rounds + 2) * plan.blocks * plan.batch;
    return { samples, queriesDuringRounds: counted.queries() - before, calls };
  } finally {
    await context.dispose();
  }
}

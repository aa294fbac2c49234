import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { MemoryScopeStore, createApiKeyVerifier, createScopedContext } from '../../src/index';
import { alternatingRounds, type RoundSamples } from './alternating-rounds';

/** Options of {@link measureContextCost}. */
export interface ContextCostPlan {
  readonly batch: number;
  readonly blocks: number;
  readonly rounds: number;
}

/**
 * Times `createScopedContext`'s function in process, without HTTP: no
 * credentials, a warm API key, and an HS256 JWT (with the group lookup in a
 * `MemoryScopeStore`). Returns milliseconds per call by mode.
 */
export async function measureContextCost(plan: ContextCostPlan): Promise<RoundSamples> {
  const store = new MemoryScopeStore();
  const { key } = await store.createApiKey({ name: 'bench', scopes: ['greetings.read'] });
  const secret = randomBytes(32);
  const token = await new SignJWT({ scope: 'greetings.read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-user')
    .setIssuer('bench')
    .setAudience('bench-api')
    .setExpirationTime('1h')
    .sign(secret);
  // A long cache TTL: this measures the warm path only (the HTTP runs include expiries).
  const context = createScopedContext({ store, verifier: createApiKeyVerifier(store, { cacheTtlMs: 3_600_000 }), jwt: { secret, issuer: 'bench', audience: 'bench-api' } });
  const requests = {
    none: { headers: {} },
    apiKey: { headers: { 'x-api-key': key } },
    jwt: { headers: { authorization: `Bearer ${token}` } },
  };
  for (const [mode, req] of Object.entries(requests)) {
    const { principal } = await context({ req });
    const expected = mode === 'none' ? 'anonymous' : mode;
    if (principal.kind !== expected) throw new Error(`context cost: ${mode} gave a ${principal.kind} principal`);
  }
  return alternatingRounds(
    Object.entries(requests).map(([name, req]) => ({ name, run: () => context({ req }) })),
    { ...plan, warmupRounds: 2 },
  );
}

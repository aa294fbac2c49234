// A process that refuses credentials of every kind through createScopedContext,
// with its default onUnauthenticated, for the NODE_DEBUG test: it prints the
// credentials it sent (one JSON line on stdout) and what the client saw; the
// debug log goes to stderr. Usage: node --import tsx test/support/unauthenticated-process.ts
import { SignJWT } from 'jose';
import { createScopedContext } from '../../src/auth/create-scoped-context';
import { generateApiKey } from '../../src/keys/api-key-format';
import { hashSecret } from '../../src/keys/hash-secret';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

async function main(): Promise<void> {
  const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
  const context = createScopedContext({ store, jwt: { secret: SECRET, issuer: 'tests', audience: 'api' } });
  const live = await store.createApiKey({ name: 'live', scopes: ['posts.read'] });
  const revoked = await store.createApiKey({ name: 'revoked', scopes: ['posts.read'] });
  await store.revokeApiKey(revoked.apiKey.id);
  // A well-formed key whose secret does not match what is stored.
  const mismatched = await store.createApiKey({ name: 'mismatched', scopes: ['posts.read'] });
  await store.updateApiKeyHash(mismatched.apiKey.id, await hashSecret('not-the-secret', store.hashOptions));
  const sign = (audience: string, secret: string): Promise<string> =>
    new SignJWT({ scopes: ['posts.read'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer('tests').setAudience(audience).setExpirationTime('1h').sign(new TextEncoder().encode(secret));
  const credentials = {
    revoked: revoked.key,
    wrongSecret: mismatched.key,
    unknown: generateApiKey().key,
    wrongAudience: await sign('billing', SECRET),
    badSignature: await sign('api', 'another-secret-of-at-least-32-bytes!!'),
  };
  const messages: Record<string, string> = {};
  const attempts: Array<[string, Record<string, string | string[]>]> = [
    ...Object.entries(credentials).map(([label, value]): [string, Record<string, string>] => [label, { authorization: `Bearer ${value}` }]),
    ['duplicateHeader', { 'x-api-key': [live.key, live.key] }],
  ];
  for (const [label, headers] of attempts) {
    try {
      await context({ req: { headers } });
      messages[label] = 'accepted';
    } catch (error) {
      messages[label] = error instanceof Error ? error.message : String(error);
    }
  }
  process.stdout.write(`${JSON.stringify({ credentials: { ...credentials, live: live.key }, messages })}\n`);
  await context.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

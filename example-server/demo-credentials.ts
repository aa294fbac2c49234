import { SignJWT } from 'jose';
import type { ScopeCatalog, ScopeStore } from 'graphql-scoped-permissions';

/** The `iss` of the example's tokens, checked by the server. */
export const JWT_ISSUER = 'graphql-scoped-permissions-example';

/** The `aud` of the example's tokens, checked by the server. */
export const JWT_AUDIENCE = 'example-blog';

/** One printed credential: the shell variable, what it grants, and the secret value. */
export interface DemoCredential {
  readonly variable: string;
  readonly description: string;
  readonly value: string;
}

const DEMO_KEYS = [
  { variable: 'READ_KEY', name: 'demo read-only', scopes: ['posts.read', 'comments.read'] },
  { variable: 'EDITOR_KEY', name: 'demo editor', scopes: ['posts.read', 'posts.write', 'comments.read', 'comments.write'] },
  { variable: 'ADMIN_KEY', name: 'demo admin', scopes: ['*'] },
] as const;

const EDITORS = { name: 'Editors', scopes: ['posts.*', 'comments.read'] };
const DEMO_USER = { id: 'alice', name: 'Alice', tokenScope: 'comments.write' };

/**
 * Seeds a fresh store with three API keys, an "Editors" group holding user
 * `alice`, and signs a one-hour HS256 token for her. The token carries
 * `comments.write`; the server adds her group's scopes. Development only:
 * the values are printed.
 */
export async function seedDemoCredentials(store: ScopeStore, catalog: ScopeCatalog, jwtSecret: Uint8Array): Promise<DemoCredential[]> {
  const credentials: DemoCredential[] = [];
  for (const demo of DEMO_KEYS) {
    // `catalog` makes a typo such as `post.read` fail here, with a suggestion.
    const { key } = await store.createApiKey({ name: demo.name, scopes: demo.scopes, catalog });
    credentials.push({ variable: demo.variable, description: `API key "${demo.name}": ${demo.scopes.join(' ')}`, value: key });
  }

  await store.saveGroup({ ...EDITORS, catalog });
  await store.addGroupMember(EDITORS.name, DEMO_USER.id);
  const token = await new SignJWT({ name: DEMO_USER.name, scope: DEMO_USER.tokenScope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(DEMO_USER.id)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(jwtSecret);
  credentials.push({
    variable: 'DEMO_JWT',
    description: `JWT for user "${DEMO_USER.id}", valid 1 hour: ${DEMO_USER.tokenScope} from the token, plus group ${EDITORS.name}: ${EDITORS.scopes.join(' ')}`,
    value: token,
  });
  return credentials;
}

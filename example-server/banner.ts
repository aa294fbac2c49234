import type { DemoCredential } from './demo-credentials.js';
import { JWT_AUDIENCE, JWT_ISSUER } from './demo-credentials.js';

/** What the start-up banner describes. */
export interface BannerInput {
  /** Where the server listens. */
  readonly url: string;
  /** `memory`: seeded demo credentials; `mongodb`: keys come from the CLI. */
  readonly store: 'memory' | 'mongodb';
  /** The seeded credentials (memory store only). */
  readonly credentials: readonly DemoCredential[];
  /** Whether bearer JWTs are accepted. */
  readonly jwt: boolean;
}

/** The admin page's URL: `/admin` below the server's URL. */
export function adminUrl(url: string): string {
  return new URL('admin', url).href;
}

/**
 * The text printed once at start-up. Credentials come as `export NAME=value`
 * lines, ready to paste into a shell (and easy for tests to parse).
 */
export function formatBanner({ url, store, credentials, jwt }: BannerInput): string {
  const lines = ['graphql-scoped-permissions example server', ''];
  if (store === 'memory') {
    lines.push(
      'Store: in memory (MemoryScopeStore). Nothing is saved; restarting makes new keys.',
      'DEVELOPMENT ONLY: these throwaway credentials are printed so that you can paste them into your shell.',
      '',
      ...credentials.flatMap(({ variable, description, value }) => [`# ${description}`, `export ${variable}=${value}`]),
      '',
    );
  } else {
    lines.push(
      'Store: MongoDB (MongooseScopeStore). No demo keys were created; make one with the CLI:',
      '  npx graphql-scoped-permissions keys create --name reader --scope posts.read --scope comments.read',
    );
  }
  lines.push(
    jwt
      ? `Bearer JWTs: HS256, issuer "${JWT_ISSUER}", audience "${JWT_AUDIENCE}".`
      : 'Bearer JWTs are refused: set JWT_SECRET (at least 32 bytes) to accept HS256 tokens.',
    '',
    store === 'memory'
      ? `Admin page: ${adminUrl(url)} (sign in with $ADMIN_KEY)`
      : `Admin page: ${adminUrl(url)} (sign in with a key that holds scopes.admin: keys create --name admin --scope scopes.admin)`,
    `Server ready at ${url}`,
  );
  if (credentials.length > 0) {
    lines.push(`Try: curl -s ${url} -H "Authorization: Bearer $READ_KEY" -H 'content-type: application/json' -d '{"query":"{ posts { id title } }"}'`);
  }
  return `${lines.join('\n')}\n`;
}

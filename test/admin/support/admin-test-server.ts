import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { SignJWT } from 'jose';
import { type BlogContext, createBlog } from '../../../example-server/blog';
import { createScopeAdmin } from '../../../src/admin';
import type { ScopeAdmin } from '../../../src/admin';
import type { ScopeAdminOptions } from '../../../src/admin/admin-options';
import type { ApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verification';
import { createApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verifier';
import { createScopedContext } from '../../../src/auth/create-scoped-context';
import { scopeDirective } from '../../../src/directive/scope-directive';
import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';

/** argon2 parameters small enough for tests. */
export const TEST_HASH_OPTIONS = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

const JWT_ISSUER = 'admin-tests';
const JWT_AUDIENCE = 'admin-tests';

/** The example blog's schema with the directive applied, as the example server builds it. */
export function blogSchema(): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  const typeDefs = readFileSync(resolve(__dirname, '../../../example-server/schema.graphql'), 'utf8');
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers: createBlog() }));
}

/** A running API + admin page on 127.0.0.1. */
export interface AdminTestServer {
  /** The GraphQL endpoint (`http://127.0.0.1:<port>/`). */
  readonly graphqlUrl: string;
  /** The admin page (`http://127.0.0.1:<port>/admin`). */
  readonly adminUrl: string;
  readonly origin: string;
  readonly store: MemoryScopeStore;
  readonly admin: ScopeAdmin;
  /** The API key verifier the API and the admin page share (`trackLastUsed` on). */
  readonly verifier: ApiKeyVerifier;
  /** A key holding `*`. */
  readonly adminKey: string;
  /** Signs a one-hour JWT for `sub`, accepted by the API and the admin page. */
  signJwt(sub: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** How {@link startAdminTestServer} mounts the admin page. */
export interface AdminTestServerOptions {
  /** `express`: `app.use(mountPath, admin.handler)` next to Apollo; `node`: a plain `node:http` server with the admin only. Default `express`. */
  readonly mode?: 'express' | 'node';
  /** Default `/admin`. */
  readonly mountPath?: string;
  /** Extra options of `createScopeAdmin`. */
  readonly admin?: Partial<ScopeAdminOptions>;
  /** The name of the `*` key. Default `test admin`. */
  readonly adminKeyName?: string;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the example blog's API at `/` and the admin page at `/admin` on one
 * port, sharing one store and one API key verifier, as an application would.
 */
export async function startAdminTestServer(options: AdminTestServerOptions = {}): Promise<AdminTestServer> {
  const mountPath = options.mountPath ?? '/admin';
  const store = new MemoryScopeStore({ hashOptions: TEST_HASH_OPTIONS });
  const schema = blogSchema();
  const jwtSecret = new TextEncoder().encode('a test secret of at least thirty-two bytes, for HS256');
  const jwtOptions = { secret: jwtSecret, issuer: JWT_ISSUER, audience: JWT_AUDIENCE };
  const verifier = createApiKeyVerifier(store, { hashOptions: TEST_HASH_OPTIONS, trackLastUsed: true });
  const { key: adminKey } = await store.createApiKey({ name: options.adminKeyName ?? 'test admin', scopes: ['*'] });
  const admin = createScopeAdmin({ store, schema, verifier, jwt: jwtOptions, mountPath, ...options.admin });

  let apollo: ApolloServer<BlogContext> | undefined;
  let server: Server;
  if ((options.mode ?? 'express') === 'express') {
    apollo = new ApolloServer<BlogContext>({ schema, includeStacktraceInErrorResponses: false });
    await apollo.start();
    const context = createScopedContext({ store, verifier, jwt: jwtOptions });
    const app = express();
    app.use(mountPath, admin.handler);
    app.use('/', express.json(), expressMiddleware(apollo, { context }));
    server = createServer(app);
  } else {
    server = createServer((req, res) => {
      void admin.handler(req, res);
    });
  }
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    graphqlUrl: `${origin}/`,
    adminUrl: `${origin}${mountPath === '/' ? '' : mountPath}`,
    origin,
    store,
    admin,
    verifier,
    adminKey,
    signJwt: (sub, claims = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer(JWT_ISSUER).setAudience(JWT_AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(jwtSecret),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      await apollo?.stop();
      await admin.close();
      await verifier.dispose();
    },
  };
}

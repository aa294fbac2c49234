// The example blog API and its admin page on one port: `npm run example`.
// GraphQL at `/`, the admin page at `/admin`. See the quick start in README.md.
//
// Environment:
//   PORT         port to listen on (default 4000; 0 picks a free one)
//   HOST         interface to listen on (default 127.0.0.1: demo keys are printed)
//   MONGODB_URI  keep keys and groups in MongoDB (MongooseScopeStore); seeds nothing
//   JWT_SECRET   HS256 secret (at least 32 bytes) for bearer JWTs; without
//                MONGODB_URI a random one is generated when unset
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Server, createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import cors from 'cors';
import express from 'express';
import {
  MemoryScopeStore,
  createApiKeyVerifier,
  createScopedContext,
  discoverScopes,
  scopeDirective,
  type ScopeStore,
  type ScopedContextFunction,
} from 'graphql-scoped-permissions';
import { createScopeAdmin } from 'graphql-scoped-permissions/admin';
import { partialResultStatusPlugin } from 'graphql-scoped-permissions/apollo';
import { formatBanner } from './banner.js';
import { type BlogContext, createBlog } from './blog.js';
import { JWT_AUDIENCE, JWT_ISSUER, seedDemoCredentials } from './demo-credentials.js';

interface OpenStore {
  readonly store: ScopeStore;
  close(): Promise<void>;
}

function readPort(value = '4000'): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535) throw new Error(`PORT must be an integer from 0 to 65535, not ${JSON.stringify(value)}.`);
  return port;
}

/** Fails with one line when the port is taken (listen would crash with a stack trace). */
async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
      .once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(error.code === 'EADDRINUSE' ? `port ${port} is already in use; set PORT to another one.` : error.message)),
      )
      .listen(port, host, () => probe.close(() => resolve()));
  });
}

async function openStore(mongoUri: string | undefined): Promise<OpenStore> {
  if (mongoUri === undefined) return { store: new MemoryScopeStore(), close: async () => undefined };
  // Loaded only when used: without MongoDB, mongoose is never loaded.
  const { default: mongoose } = await import('mongoose');
  const { MongooseScopeStore } = await import('graphql-scoped-permissions/mongoose');
  const connection = mongoose.createConnection(mongoUri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    // Driver messages can carry the connection string: name the error only.
    throw new Error(`Cannot connect to MONGODB_URI within 5 s (${error instanceof Error ? error.name : 'unknown error'}).`);
  }
  return { store: new MongooseScopeStore(connection), close: () => connection.close() };
}

/** The URL to print: `localhost` for loopback and wildcard addresses, as Apollo's standalone server prints it. */
function localUrl({ address, port }: AddressInfo): string {
  const host = ['127.0.0.1', '::1', '0.0.0.0', '::', ''].includes(address) ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}/`;
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const port = readPort(env.PORT);
  const host = env.HOST ?? '127.0.0.1';
  await assertPortFree(port, host);
  const mongoUri = env.MONGODB_URI || undefined;
  const jwtSecret = env.JWT_SECRET ? new TextEncoder().encode(env.JWT_SECRET) : mongoUri === undefined ? randomBytes(32) : undefined;

  // preset 'strict': root fields need a scope unless listed public (`me`), keys without scopes get nothing,
  // and partialResultStatusPlugin refuses to start if a scoped field lost its guard.
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { preset: 'strict', publicFields: ['Query.me'] });
  const typeDefs = await readFile(new URL('./schema.graphql', import.meta.url), 'utf8');
  const blogSchema = makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers: createBlog() });
  // The scopes the schema uses: the demo keys are checked against them, and the admin page offers them as checkboxes.
  const catalog = discoverScopes(blogSchema);
  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createHttpServer(app);
  const server = new ApolloServer<BlogContext>({
    schema: scopeDirectiveTransformer(blogSchema),
    // 200 when some data survives a denied field; 401/403 only when none does.
    // The drain plugin lets requests in flight finish when the server stops.
    plugins: [partialResultStatusPlugin(), ApolloServerPluginDrainHttpServer({ httpServer })],
    includeStacktraceInErrorResponses: false,
    // Stopped below, together with the MongoDB connection.
    stopOnTerminationSignals: false,
  });

  const { store, close: closeStore } = await openStore(mongoUri);
  // One verifier for the API and the admin page: a key revoked in the page is refused by the API at once.
  // `trackLastUsed` fills LAST USED in `keys list` and in the admin page.
  const verifier = createApiKeyVerifier(store, { trackLastUsed: true });
  let context: ScopedContextFunction | undefined;
  const close = async () => {
    // Stops the change watcher that keeps the caches in step with the CLI and other processes.
    await context?.dispose();
    await verifier.dispose();
    await closeStore();
  };
  try {
    const credentials = mongoUri === undefined && jwtSecret !== undefined ? await seedDemoCredentials(store, catalog, jwtSecret) : [];
    const jwt = jwtSecret === undefined ? undefined : { secret: jwtSecret, issuer: JWT_ISSUER, audience: JWT_AUDIENCE };
    context = createScopedContext({ store, verifier, ...(jwt === undefined ? {} : { jwt }) });
    const admin = createScopeAdmin({ store, catalog, verifier, ...(jwt === undefined ? {} : { jwt }) });

    await server.start();
    app.use('/admin', admin.handler);
    app.use('/', cors(), express.json(), expressMiddleware(server, { context }));
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => resolve());
    });
    const url = localUrl(httpServer.address() as AddressInfo);
    process.stdout.write(formatBanner({ url, store: mongoUri === undefined ? 'memory' : 'mongodb', credentials, jwt: jwtSecret !== undefined }));
  } catch (error) {
    await server.stop().catch(() => undefined);
    await close();
    throw error;
  }

  const shutdown = async (signal: NodeJS.Signals) => {
    process.stdout.write(`${signal}: stopping.\n`);
    try {
      await server.stop();
      await close();
    } catch (error) {
      process.stderr.write(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  };
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => void (stopping ??= shutdown(signal));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
}

main(process.env).catch((error: unknown) => {
  process.stderr.write(`The example server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

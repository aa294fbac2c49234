// The example blog API: `npm run example`. See the quick start in README.md.
//
// Environment:
//   PORT         port to listen on (default 4000; 0 picks a free one)
//   HOST         interface to listen on (default 127.0.0.1: demo keys are printed)
//   MONGODB_URI  keep keys and groups in MongoDB (MongooseScopeStore); seeds nothing
//   JWT_SECRET   HS256 secret (at least 32 bytes) for bearer JWTs; without
//                MONGODB_URI a random one is generated when unset
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { makeExecutableSchema } from '@graphql-tools/schema';
import {
  MemoryScopeStore,
  createScopedContext,
  discoverScopes,
  scopeDirective,
  type ScopeStore,
} from 'graphql-scoped-permissions';
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

/** Fails with one line when the port is taken (startStandaloneServer would crash with a stack trace). */
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

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const port = readPort(env.PORT);
  const host = env.HOST ?? '127.0.0.1';
  await assertPortFree(port, host);
  const mongoUri = env.MONGODB_URI || undefined;
  const jwtSecret = env.JWT_SECRET ? new TextEncoder().encode(env.JWT_SECRET) : mongoUri === undefined ? randomBytes(32) : undefined;

  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  const typeDefs = await readFile(new URL('./schema.graphql', import.meta.url), 'utf8');
  const schema = makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers: createBlog() });
  const server = new ApolloServer<BlogContext>({
    schema: scopeDirectiveTransformer(schema),
    // 200 when some data survives a denied field; 401/403 only when none does.
    plugins: [partialResultStatusPlugin()],
    includeStacktraceInErrorResponses: false,
    // Stopped below, together with the MongoDB connection.
    stopOnTerminationSignals: false,
  });

  const { store, close } = await openStore(mongoUri);
  try {
    const credentials = mongoUri === undefined && jwtSecret !== undefined ? await seedDemoCredentials(store, discoverScopes(schema), jwtSecret) : [];
    const context = createScopedContext({
      store,
      // Shown as LAST USED by `graphql-scoped-permissions keys list`.
      verifier: { trackLastUsed: true },
      ...(jwtSecret === undefined ? {} : { jwt: { secret: jwtSecret, issuer: JWT_ISSUER, audience: JWT_AUDIENCE } }),
    });
    const { url } = await startStandaloneServer(server, { context, listen: { port, host } });
    const localUrl = url.replace(/\/\/(127\.0\.0\.1|\[::1\])/, '//localhost');
    process.stdout.write(formatBanner({ url: localUrl, store: mongoUri === undefined ? 'memory' : 'mongodb', credentials, jwt: jwtSecret !== undefined }));
  } catch (error) {
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

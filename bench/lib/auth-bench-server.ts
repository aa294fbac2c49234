/**
 * The HTTP server the authentication benchmarks load: Apollo Server 5
 * (standalone) with `createScopedContext` over a `MemoryScopeStore` (or a
 * `MongooseScopeStore`, with `config.mongo`) holding one API key and a group
 * `readers` with the JWT's subject in it, HS256 JWTs, and a trivial schema. Run as a child process by
 * `startAuthBenchServer` (it needs an IPC channel): it listens on a free
 * loopback port, reports its URL and credentials, answers `stats` requests
 * with the API key verifier's counters, and stops on `stop`.
 */
import { randomBytes } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { SignJWT } from 'jose';
import { resolveApiKeyVerifierOptions } from '../../src/auth/api-keys/api-key-verifier-options';
import mongoose from 'mongoose';
import { MemoryScopeStore, type Principal, type ScopeStore, createApiKeyVerifier, createScopedContext, scopeDirective } from '../../src/index';
import { MongooseScopeStore, mongoRateLimitBackend } from '../../src/store/mongoose/index';
import type { AuthBenchServerConfig, ParentMessage, ServerMessage } from './auth-bench-protocol';

const ISSUER = 'bench-issuer';
const AUDIENCE = 'bench-api';

const send = (message: ServerMessage): void => {
  process.send?.(message);
};

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('auth-bench-server must run with an IPC channel (see startAuthBenchServer)');
  const config = JSON.parse(process.argv[2] ?? '{}') as AuthBenchServerConfig;
  let store: ScopeStore = new MemoryScopeStore();
  let closeStore = async (): Promise<void> => undefined;
  if (config.mongo !== undefined) {
    const connection = await mongoose.createConnection(config.mongo.uri, { dbName: config.mongo.dbName }).asPromise();
    closeStore = () => connection.close();
    const mongoStore = new MongooseScopeStore(connection);
    await Promise.all([mongoStore.models.ScopedApiKey.init(), mongoStore.models.ScopedGroup.init(), mongoStore.models.ScopedChange.init()]);
    store = mongoStore;
  }
  const { apiKey, key } = await store.createApiKey({ name: 'bench', scopes: ['greetings.read'] });
  await store.saveGroup({ name: 'readers', scopes: ['posts.read', 'comments.read'] });
  await store.addGroupMember('readers', 'bench-user');
  const verifierOptions = {
    ...(config.maxConcurrentVerifications === undefined ? {} : { maxConcurrentVerifications: config.maxConcurrentVerifications }),
    ...(config.cacheTtlMs === undefined ? {} : { cacheTtlMs: config.cacheTtlMs }),
  };
  const verifier = createApiKeyVerifier(store, verifierOptions);
  const secret = randomBytes(32);
  const jwt = await new SignJWT({ scope: 'greetings.read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-user')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(secret);

  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  const schema = scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [
        scopeDirectiveTypeDefs,
        /* GraphQL */ `
          type Query {
            "Who is calling: the principal's kind. Public, so every mode runs the same resolver."
            whoami: String
            "Needs a scope: proves the credentials carried it."
            greeting: String @scope(resource: "greetings", action: "read")
          }
        `,
      ],
      resolvers: {
        Query: {
          whoami: (_source: unknown, _args: unknown, context: { principal: Principal }) => context.principal.kind,
          greeting: () => 'hello',
        },
      },
    }),
  );
  const server = new ApolloServer({ schema, includeStacktraceInErrorResponses: false, stopOnTerminationSignals: false });
  let rateLimiting = {};
  if (config.rateLimitMongo !== undefined) {
    const counts = await mongoose.createConnection(config.rateLimitMongo.uri, { dbName: config.rateLimitMongo.dbName }).asPromise();
    const previous = closeStore;
    closeStore = async () => {
      await previous();
      await counts.close();
    };
    rateLimiting = { backend: mongoRateLimitBackend(counts) };
  }
  const context = createScopedContext({
    store,
    verifier,
    jwt: { secret, issuer: ISSUER, audience: AUDIENCE },
    ...(config.rateLimits === undefined ? {} : { rateLimits: config.rateLimits, rateLimiting }),
  });
  const { url } = await startStandaloneServer(server, { context, listen: { port: 0, host: '127.0.0.1' } });

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      send({ type: 'stats', stats: verifier.stats(), cpuMicros: cpu.user + cpu.system });
    }
    if (message.type === 'stop') {
      void server
        .stop()
        .then(() => context.dispose())
        .then(() => verifier.dispose())
        .then(closeStore)
        .finally(() => process.disconnect());
    }
  });
  send({
    type: 'ready',
    url,
    apiKey: key,
    keyPrefix: apiKey.prefix,
    keyId: apiKey.id,
    jwt,
    maxConcurrentVerifications: resolveApiKeyVerifierOptions(verifierOptions).maxConcurrentVerifications,
  });
}

await main();

// The NestJS recipe, runnable: `MONGODB_URI=mongodb://… npm run example:nestjs` (tsc, then node).
// GraphQL at /graphql (Apollo driver), the admin page at /admin.
//
// Environment:
//   MONGODB_URI  the scope store (required): keys and groups, as `npx graphql-scoped-permissions keys` manages them
//   MONGODB_DB   the database name (default: the one in MONGODB_URI)
//   PORT         port to listen on (default 3000; 0 picks a free one)
//   HOST         interface to listen on (default 127.0.0.1)
//   SCHEMA       code-first (default) or schema-first
//   ENFORCE      field (default) or operation
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EnforcementMode } from 'graphql-scoped-permissions';
import { type ScopeAdmin, createScopeAdmin } from 'graphql-scoped-permissions/admin';
import { AppModule } from './app.module.js';
import { ScopesService } from './scopes.module.js';

function choice<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  const chosen = value ?? allowed[0];
  if (!allowed.includes(chosen as T)) throw new Error(`${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}.`);
  return chosen as T;
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const mongoUri = env.MONGODB_URI;
  if (!mongoUri) throw new Error('set MONGODB_URI to a MongoDB (or FerretDB) server: the NestJS example keeps its keys there.');
  const port = Number(env.PORT ?? '3000');
  const schema = choice('SCHEMA', env.SCHEMA, ['code-first', 'schema-first'] as const);
  const enforce = choice<EnforcementMode>('ENFORCE', env.ENFORCE, ['field', 'operation']);

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ mongoUri, dbName: env.MONGODB_DB, schema, enforce }), {
    logger: ['error', 'warn'],
  });
  app.disable('x-powered-by');
  // The admin page lists the scopes of the built schema, which exists only after init:
  // mount a forwarder now (before Nest's not-found handler), create the page after init.
  let admin: ScopeAdmin | undefined;
  app.use('/admin', (req: Parameters<ScopeAdmin['handler']>[0], res: Parameters<ScopeAdmin['handler']>[1], next: (error?: unknown) => void) => {
    if (admin === undefined) next();
    else void admin.handler(req, res, next);
  });
  await app.init();
  const scopes = app.get(ScopesService);
  admin = createScopeAdmin({ store: scopes.store, schema: app.get(GraphQLSchemaHost).schema, verifier: scopes.verifier });

  await app.listen(port, env.HOST ?? '127.0.0.1');
  const { port: bound } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`Server ready at http://localhost:${bound}/graphql\nAdmin page at http://localhost:${bound}/admin (${schema}, ${enforce} mode)\n`);
  // app.close() runs ScopesService.onApplicationShutdown, then closes the MongoDB connection.
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`${signal}: stopping.\n`);
    void admin?.close().finally(() => app.close());
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
}

main(process.env).catch((error: unknown) => {
  process.stderr.write(`The NestJS example could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

// The matrix application served by NestJS 12 (Apollo driver, @nestjs/mongoose), as a child
// process: Nest ships ES modules only, which Jest's CommonJS runtime cannot load. Started by
// start-nest.ts with tsx; no decorator here needs the metadata that tsx does not emit.
//
// Environment: MONGODB_URI, MONGODB_DB, MODE ('field' | 'operation'), EDGE ('none' | 'reject'),
// NEST_STATUS ('recipe', or 'default': Nest's own preserveHttpStatusForExecutionErrors).
// IPC: receives { publish: MatrixPost }; sends { ready: url }, { open: number }, { call: name }.
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { operationScopePlugin, partialResultStatusPlugin, scopesEnforcedPlugin } from '../../src/apollo';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { MongooseScopeStore } from '../../src/store/mongoose/mongoose-scope-store';
import { type EdgeCheck, type MatrixApp, type MatrixPost, type ResolverCalls, createMatrixApp } from './matrix-app';

const send = (message: unknown): void => void process.send?.(message);

/** Counts calls through IPC, so the test sees what ran in this process. */
function reportingCalls(): ResolverCalls {
  const calls: ResolverCalls = { hello: 0, posts: 0, stats: 0, createPost: 0, postAdded: 0 };
  return new Proxy(calls, {
    set(target, name, value: number) {
      send({ call: name });
      return Reflect.set(target, name, value);
    },
  });
}

function graphqlModule(mode: EnforcementMode, edge: EdgeCheck, nestStatus: boolean, onApp: (app: MatrixApp) => void): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [getConnectionToken()],
    useFactory: (connection: Connection): ApolloDriverConfig => {
      const app = createMatrixApp(mode, edge, new MongooseScopeStore(connection), reportingCalls());
      onApp(app);
      const plugins: ApolloServerPlugin<BaseContext>[] = [partialResultStatusPlugin(), scopesEnforcedPlugin()];
      if (edge === 'reject') plugins.push(operationScopePlugin({ mode: 'reject' }));
      return {
        typeDefs: app.typeDefs,
        resolvers: app.resolvers,
        transformSchema: app.transform,
        context: (args: { req?: IncomingMessage; extra?: { request: IncomingMessage } }) => app.context({ req: args.extra?.request ?? (args.req as IncomingMessage) }),
        plugins,
        // The recipe turns Nest's reset of every executed operation's status to 200 off.
        preserveHttpStatusForExecutionErrors: nestStatus,
        subscriptions: { 'graphql-ws': true },
        playground: false,
        includeStacktraceInErrorResponses: false,
      };
    },
  });
}

@Module({})
class MatrixModule {}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const mode = env.MODE as EnforcementMode;
  const edge = env.EDGE as EdgeCheck;
  let matrixApp: MatrixApp | undefined;
  const root: DynamicModule = {
    module: MatrixModule,
    imports: [
      MongooseModule.forRoot(env.MONGODB_URI ?? '', { dbName: env.MONGODB_DB, serverSelectionTimeoutMS: 2_000 }),
      graphqlModule(mode, edge, env.NEST_STATUS === 'default', (app) => (matrixApp = app)),
    ],
  };
  const nest = await NestFactory.create(root, { logger: ['error'] });
  await nest.listen(0, '127.0.0.1');
  const { port } = nest.getHttpServer().address() as AddressInfo;
  let open = -1;
  setInterval(() => {
    const now = matrixApp?.events.open ?? 0;
    if (now !== open) send({ open: (open = now) });
  }, 10).unref();
  process.on('message', (message: { publish?: MatrixPost }) => {
    if (message.publish !== undefined) matrixApp?.events.publish(message.publish);
  });
  process.once('SIGTERM', () => void nest.close().then(() => process.exit(0)));
  send({ ready: `http://127.0.0.1:${port}/graphql` });
}

main(process.env).catch((error: unknown) => {
  process.stderr.write(`The Nest matrix server could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

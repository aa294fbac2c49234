import { fileURLToPath } from 'node:url';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MongooseModule } from '@nestjs/mongoose';
import { type EnforcementMode, scopeDirective } from 'graphql-scoped-permissions';
import { partialResultStatusPlugin, scopesEnforcedPlugin } from 'graphql-scoped-permissions/apollo';
import { PostsResolver } from './code-first/posts.resolver.js';
import { PostsService } from './posts.service.js';
import { PostsSdlResolver } from './schema-first/posts.resolver.js';
import { ScopesModule, ScopesService } from './scopes.module.js';

/** How {@link AppModule.forRoot} builds the app. */
export interface AppOptions {
  /** The MongoDB connection string of the scope store. */
  readonly mongoUri: string;
  /** The database name. Default: the one in `mongoUri`. */
  readonly dbName?: string;
  /** Code-first classes with `@Directive`/`@Extensions`, or SDL files through `typePaths`. */
  readonly schema: 'code-first' | 'schema-first';
  /** The transformer's enforcement mode (`scopeDirective`'s `enforce`). */
  readonly enforce: EnforcementMode;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    const scope = scopeDirective('scope', { enforce: options.enforce });
    const codeFirst = options.schema === 'code-first';
    return {
      module: AppModule,
      imports: [
        MongooseModule.forRoot(options.mongoUri, { dbName: options.dbName, serverSelectionTimeoutMS: 5_000 }),
        ScopesModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [ScopesService],
          useFactory: (scopes: ScopesService): ApolloDriverConfig => ({
            ...(codeFirst
              ? // Code-first: Nest prints the directive's definition from this GraphQLDirective.
                { autoSchemaFile: true, buildSchemaOptions: { directives: [scope.scopeDirectiveDefinition] } }
              : // This module runs from dist/ (compiled by tsc); the SDL stays in the source folder.
                { typePaths: [fileURLToPath(new URL('../schema-first/*.graphql', import.meta.url))], typeDefs: [scope.scopeDirectiveTypeDefs] }),
            // Last step of the schema build: the scoped fields get their guards.
            transformSchema: scope.scopeDirectiveTransformer,
            context: ({ req }: { req: Parameters<ScopesService['context']>[0]['req'] }) => scopes.context({ req }),
            // 200 when some data survives a denied field, 401/403 when none does; and a start-up
            // check that no resolver attached after the transform replaced a guard.
            plugins: [partialResultStatusPlugin(), scopesEnforcedPlugin()],
            // Nest answers 200 to every executed operation unless told not to; this lets
            // partialResultStatusPlugin answer 401/403 when a denial leaves no data, as Apollo Server does.
            preserveHttpStatusForExecutionErrors: false,
            playground: false,
            includeStacktraceInErrorResponses: false,
          }),
        }),
      ],
      providers: [PostsService, codeFirst ? PostsResolver : PostsSdlResolver],
    };
  }
}

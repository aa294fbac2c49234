import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { type ApiKeyVerifier, type ScopedContextFunction, createApiKeyVerifier, createScopedContext } from 'graphql-scoped-permissions';
import { MongooseScopeStore } from 'graphql-scoped-permissions/mongoose';
import type { Connection } from 'mongoose';

/**
 * The scope store on the connection Nest's MongooseModule opened, one API
 * key verifier shared by the API and the admin page (a key revoked in the
 * page is refused by the API at once), and the GraphQL context function.
 */
@Injectable()
export class ScopesService implements OnApplicationShutdown {
  readonly store: MongooseScopeStore;
  readonly verifier: ApiKeyVerifier;
  readonly context: ScopedContextFunction;

  constructor(@InjectConnection() connection: Connection) {
    this.store = new MongooseScopeStore(connection);
    this.verifier = createApiKeyVerifier(this.store, { trackLastUsed: true });
    this.context = createScopedContext({ store: this.store, verifier: this.verifier });
  }

  /** Stops the change watchers when the app closes, before Nest closes the connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.context.dispose();
    await this.verifier.dispose();
  }
}

/** Global, so the GraphQL module's factory and `main.ts` both get the one {@link ScopesService}. */
@Global()
@Module({ providers: [ScopesService], exports: [ScopesService] })
export class ScopesModule {}

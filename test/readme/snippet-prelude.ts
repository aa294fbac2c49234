// The hidden prelude of the README's TypeScript snippets: the few values a
// snippet uses without building them, because an earlier section built them.
// Declared, never defined: the prelude type-checks snippets and runs none
// (snippets that run end to end must be complete). Each name here must be
// used by at least one snippet, which the harness checks; a snippet's own
// declaration of the same name takes precedence (module scope shadows these globals).

/** The names the prelude declares, each with what it stands for. */
export const PRELUDE_NAMES = {
  server: 'the ApolloServer of "Use it in your schema"',
  schema: 'the transformed schema of "Use it in your schema"',
  store: 'a ScopeStore, such as the MemoryScopeStore of "Use it in your schema"',
  sessionUser: "the application's own session lookup, for getUser",
} as const;

/** The prelude, as a declaration file. */
export const SNIPPET_PRELUDE = `
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { AppUser, ScopeStore } from 'graphql-scoped-permissions';

declare global {
  const server: ApolloServer;
  const schema: GraphQLSchema;
  const store: ScopeStore;
  function sessionUser(req: unknown): AppUser | null;
}
`;

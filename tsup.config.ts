import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `mongoose`, `apollo`, `envelop`, `mercurius` and `admin` are entries of their own, so that only `graphql-scoped-permissions/mongoose`
    // loads mongoose, only `graphql-scoped-permissions/apollo` needs `@apollo/server`'s types (and `/envelop` `@envelop/core`'s), and only
    // applications that mount the admin page load it. `federation` is the gateway side: @requiresScopes, tokens.
    entry: {
      index: 'src/index.ts',
      mongoose: 'src/store/mongoose/index.ts',
      apollo: 'src/apollo/index.ts',
      envelop: 'src/envelop/index.ts',
      mercurius: 'src/mercurius/index.ts',
      admin: 'src/admin/index.ts',
      federation: 'src/federation/index.ts',
    },
    format: ['esm', 'cjs'],
    // Shared code (errors, scope grammar, key format) goes into chunks that both
    // entries load, in CJS too, so `instanceof ScopedPermissionsError` holds for
    // errors thrown by the mongoose entry.
    splitting: true,
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  },
  {
    entry: { 'cli/bin': 'src/cli/bin.ts' },
    format: ['cjs'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);

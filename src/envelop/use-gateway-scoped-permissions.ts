import type { Plugin } from '@envelop/core';
import { FORWARDED_PRINCIPAL_HEADER } from '../auth/forwarded/forwarded-principal';
import { signForwardedPrincipal, type SignForwardedPrincipalOptions } from '../federation/forwarded-principal';
import { supergraphCatalog, withSupergraphEnforcement } from '../federation/supergraph-enforcement';
import type { Principal } from '../principal/principal';
import { currentPrincipal } from '../principal/principal-liveness';
import { useScopedPermissions } from './use-scoped-permissions';
import type { ScopedPluginContext, UseScopedPermissionsRejectOptions } from './use-scoped-permissions-options';

/** What Hive Gateway's `onFetch` hook gives a plugin, as far as forwarding needs it (typed here, so that Hive is no dependency). */
export interface GatewayFetchPayload {
  readonly context: ScopedPluginContext;
  readonly options: { readonly headers?: Record<string, string> };
  /** The subgraph request; Hive Gateway names its subgraph. */
  readonly executionRequest?: { readonly subgraphName?: string | undefined } | undefined;
  setOptions(options: { headers?: Record<string, string> } & Record<string, unknown>): void;
}

/** Options of {@link useGatewayScopedPermissions}. */
export interface UseGatewayScopedPermissionsOptions extends Omit<UseScopedPermissionsRejectOptions, 'mode' | 'assertEnforced' | 'onDenied'> {
  /**
   * `'reject'` refuses a denied operation at the gateway; `'report'` only
   * calls `onDenied` and lets the subgraphs decide (their field mode gives
   * partial results). Default `'reject'`.
   */
  readonly mode?: 'reject' | 'report';
  /** Told about each denied operation (required with `'report'`). Default: none. */
  readonly onDenied?: UseScopedPermissionsRejectOptions['onDenied'];
  /**
   * Forward the caller to the subgraphs, signed (`signForwardedPrincipal`):
   * the key, issuer, audience and `ttlMs` of the token. `audience` can be a
   * function of the subgraph's name, so that a token one subgraph receives
   * is refused by the others (each checks its own audience). `catalog`
   * defaults to the supergraph's `@requiresScopes` scopes. One token per
   * request and audience, renewed once half its `ttlMs` has passed (a
   * subscription's entity fetches) with the caller's credential as it stands
   * then: a key revoked since forwards no principal, a narrowed one its new
   * scopes. Default: nothing forwarded.
   */
  readonly forward?: Omit<SignForwardedPrincipalOptions, 'catalog' | 'audience'> & {
    readonly audience: string | ((subgraphName: string) => string);
    readonly catalog?: SignForwardedPrincipalOptions['catalog'];
  };
}

/** A Hive Gateway plugin: Envelop hooks, plus the gateway's `onFetch` to the subgraphs. */
export type GatewayPlugin = Plugin<ScopedPluginContext> & { onFetch(payload: GatewayFetchPayload): Promise<void> };

/**
 * `useScopedPermissions` for Hive Gateway (`@graphql-hive/gateway`): the
 * caller is authenticated at the edge with our verifiers (`context`, from
 * `createScopedContext`: API keys, JWTs, sessions, their caches and
 * cross-process revocation), and each operation is checked whole against
 * the supergraph's `@requiresScopes` before the gateway plans it, with the
 * same walk as the subgraphs' operation mode: a refused operation (401/403,
 * every missing scope in `extensions.missingScopes`) reaches no subgraph.
 * With `forward`, each subgraph request carries the caller as a short-lived
 * signed token in the `scoped-principal` header (an anonymous caller's is
 * removed), which `createScopedContext({ forwarded })` reads.
 *
 * Wildcard grants match here as everywhere in this package (`posts.*`
 * satisfies `posts.read`); the forwarded token carries them expanded.
 *
 * @example
 * ```ts
 * const gateway = createGatewayRuntime({ supergraph, plugins: () => [useGatewayScopedPermissions({ context: createScopedContext({ store }), forward: { privateKey, issuer: 'gateway', audience: 'subgraphs', ttlMs: 60_000 } })] });
 * ```
 * @throws {@link ScopedPermissionsError} as `useScopedPermissions`; when the
 *   supergraph is set, as `supergraphEnforcement` (a malformed or empty
 *   `@requiresScopes`, or one where the gateway cannot check it).
 */
export function useGatewayScopedPermissions(options: UseGatewayScopedPermissionsOptions): GatewayPlugin {
  const { forward, mode, onDenied, ...rest } = options;
  const checks =
    mode === 'report'
      ? useScopedPermissions({ ...rest, mode, onDenied: onDenied ?? (() => undefined), assertEnforced: false })
      : useScopedPermissions({ ...rest, mode: 'reject', ...(onDenied === undefined ? {} : { onDenied }), assertEnforced: false });
  // Per request, per audience: one signature whatever the number of fetches to one subgraph, renewed once
  // half its ttlMs has passed, so that a request outliving it (a subscription's entity fetches) never forwards an expired token.
  const tokens = new WeakMap<object, Map<string, { readonly token: Promise<string | null>; readonly renewAtMs: number }>>();
  // One options object per audience: the signer parses the key once per options object.
  const signingByAudience = new Map<string, SignForwardedPrincipalOptions>();
  let catalog: SignForwardedPrincipalOptions['catalog'] | undefined;
  const signingFor = (audience: string): SignForwardedPrincipalOptions | undefined => {
    if (forward === undefined || catalog === undefined) return undefined;
    let signing = signingByAudience.get(audience);
    if (signing === undefined) {
      signing = { ...forward, audience, catalog };
      signingByAudience.set(audience, signing);
    }
    return signing;
  };
  return {
    onSchemaChange({ schema }) {
      withSupergraphEnforcement(schema);
      if (forward !== undefined) {
        catalog = forward.catalog ?? supergraphCatalog(schema);
        signingByAudience.clear();
      }
    },
    onPluginInit({ addPlugin }) {
      addPlugin(checks);
    },
    async onFetch({ context, options: fetchOptions, setOptions, executionRequest }) {
      if (forward === undefined) return;
      // Header names are case-insensitive: a client's copy under any spelling (`propagateHeaders`) must not reach a subgraph.
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(fetchOptions.headers ?? {})) {
        if (name.toLowerCase() !== FORWARDED_PRINCIPAL_HEADER) headers[name] = value;
      }
      const principal: Principal | undefined = context.principal;
      const audience = typeof forward.audience === 'function' ? forward.audience(executionRequest?.subgraphName ?? '') : forward.audience;
      const signing = signingFor(audience);
      if (principal !== undefined && signing !== undefined) {
        let byAudience = tokens.get(context);
        if (byAudience === undefined) tokens.set(context, (byAudience = new Map()));
        let signature = byAudience.get(audience);
        if (signature === undefined || !(Date.now() < signature.renewAtMs)) {
          // A renewal comes long after this request authenticated its caller: it signs the caller as the credential
          // stands now (`currentPrincipal`), so a key revoked since forwards no principal and a narrowed one its new scopes.
          const token =
            signature === undefined
              ? signForwardedPrincipal(principal, signing)
              : currentPrincipal(principal).then((current) => (current === null ? null : signForwardedPrincipal(current, signing)));
          signature = { token, renewAtMs: Date.now() + Math.floor(signing.ttlMs / 2) };
          byAudience.set(audience, signature);
        }
        const signed = await signature.token;
        if (signed !== null) headers[FORWARDED_PRINCIPAL_HEADER] = signed;
      }
      setOptions({ ...fetchOptions, headers });
    },
  };
}

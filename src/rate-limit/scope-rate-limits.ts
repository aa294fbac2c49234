import { createHash } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { rateLimitedError, rateLimitUnavailableError } from '../errors/graphql-errors';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { Principal } from '../principal/principal';
import { parseScope } from '../scopes/scope-grammar';
import { type RateLimitBackend, memoryRateLimitBackend } from './rate-limit-backend';
import { type RateLimitDecision, type RateLimiter, createRateLimiter } from './rate-limiter';

/**
 * Rates per scope, as Django REST framework's `ScopedRateThrottle` sets
 * them: a concrete scope (`'analytics.export'`, no wildcard) → a rate string
 * (`'10/hour'`, see `parseRate`).
 */
export type ScopeRateLimits = Readonly<Record<string, string>>;

/** Where and how the rate limits of `createScopedContext` count. */
export interface RateLimitingOptions {
  /**
   * Where counts live. Default: the store's own backend when it has one
   * (`MongooseScopeStore`: MongoDB through its connection, shared by every
   * replica), else this process's memory.
   */
  backend?: RateLimitBackend;
  /**
   * What a backend failure decides: `false` refuses the request with 503
   * (`ERR_STORE_UNAVAILABLE`, `Retry-After: 5`); `true` lets it through
   * uncounted. Default `false` (fail closed).
   */
  failOpen?: boolean;
  /** How long the backend may take to count, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Receives backend failures (never a key). Default: a process warning. */
  onError?: (error: Error) => void;
}

/**
 * The rate limits of one request, as `createScopedContext` puts them on the
 * context (`context.rateLimit`). The field guards and the operation check
 * consume through it; an operation uses at most one unit of each limited
 * scope, however many fields or list items need the scope. The operations of
 * a batched request, which share one context, each use their own; a
 * subscription uses one when it starts, and none per event. (Subscriptions
 * that share one context and one parsed document, which graphql-ws servers
 * do not do by default, count once between them.)
 */
export interface RequestRateLimit {
  /** Whether `scope` has a limit. */
  limits(scope: string): boolean;
  /** Whether any of `scopes` has a limit. */
  limitsAny(scopes: readonly string[]): boolean;
  /**
   * Uses one unit of each limited scope among `scopes` that this operation
   * (the execution `info` belongs to) has not used yet. Resolves when all are within their rates; rejects with the
   * `RATE_LIMITED` error (HTTP 429, `retryAfterSeconds`) of the scope that
   * frees up last, or with a 503 when counts cannot be read and the limits
   * fail closed.
   */
  consume(scopes: readonly string[], info: ExecutionOf): Promise<void>;
}

/** What {@link RequestRateLimit.consume} reads of a field's `GraphQLResolveInfo` to tell operations apart. */
export interface ExecutionOf {
  /** graphql-js builds one per execution (and per subscription event), shared by every field of it. */
  readonly variableValues: object;
  /** The operation's definition node: one per parsed document, shared by a subscription's start and its events. */
  readonly operation: { readonly operation: string };
}

/** What `createScopedContext` builds from its `rateLimits` option. */
export interface ScopeRateLimitPolicy {
  /** The view of one request by `principal`; `undefined` for a caller without an id (anonymous), whom no scoped field serves. */
  forRequest(principal: Principal): RequestRateLimit | undefined;
}

/** One limit's decision; `scope` is absent for a key's own limit. */
export interface Counted {
  readonly scope?: string;
  readonly decision: RateLimitDecision;
}

/** Reads the {@link RequestRateLimit} that `createScopedContext` put on a GraphQL context, if any. */
export function rateLimitOf(context: unknown): RequestRateLimit | undefined {
  return context != null && typeof context === 'object' ? (context as { rateLimit?: RequestRateLimit }).rateLimit : undefined;
}

/**
 * The error that refuses a request over its limits: the 503 when a backend
 * failed and the limits fail closed, else the `RATE_LIMITED` of the limit
 * that frees up last; `null` when every decision allowed.
 */
export function refusalOf(results: readonly Counted[]): GraphQLError | null {
  let limited: Counted | undefined;
  let retryAfterMs = 0;
  for (const result of results) {
    if (result.decision.allowed) continue;
    if (result.decision.reason === 'unavailable') return rateLimitUnavailableError();
    if (limited === undefined || result.decision.retryAfterMs > retryAfterMs) {
      limited = result;
      retryAfterMs = result.decision.retryAfterMs;
    }
  }
  return limited === undefined ? null : rateLimitedError(retryAfterMs, limited.scope);
}

function isConcreteScope(scope: string): boolean {
  try {
    parseScope(scope);
    return true;
  } catch {
    return false;
  }
}

/** The limiter's name (at most 64 characters): the scope itself, or for a long scope a digest of it, so that no two scopes share counts. */
function limitName(scope: string): string {
  const name = `scope:${scope}`;
  return name.length <= 64 ? name : `scope:${createHash('sha256').update(scope).digest('hex').slice(0, 40)}`;
}

/**
 * Builds the per-scope limits of `createScopedContext`. Each principal (key
 * id, user id or JWT subject, apart by kind) gets its own bucket per listed
 * scope.
 *
 * @returns `undefined` when `rateLimits` lists no scope.
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a scope
 *   that is not a concrete `resource.action`, or a bad rate or option.
 */
export function createScopeRateLimits(rateLimits: ScopeRateLimits | undefined, options: RateLimitingOptions = {}): ScopeRateLimitPolicy | undefined {
  if (rateLimits === undefined) return undefined;
  if (rateLimits === null || typeof rateLimits !== 'object' || Array.isArray(rateLimits)) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', "rateLimits must be an object of scope → rate, such as { 'analytics.export': '10/hour' }.", {
      details: { option: 'rateLimits' },
    });
  }
  const backend = options.backend ?? memoryRateLimitBackend();
  const limiters = new Map<string, RateLimiter>();
  for (const [scope, rate] of Object.entries(rateLimits)) {
    if (!isConcreteScope(scope)) {
      throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `rateLimits: ${JSON.stringify(scope.slice(0, 100))} is not a concrete scope (resource.action, no wildcard).`, {
        details: { option: 'rateLimits' },
      });
    }
    limiters.set(
      scope,
      createRateLimiter({
        name: limitName(scope),
        rate,
        backend,
        ...(options.failOpen === undefined ? {} : { failOpen: options.failOpen }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.onError === undefined ? {} : { onError: options.onError }),
      }),
    );
  }
  if (limiters.size === 0) return undefined;

  return {
    forRequest(principal) {
      if (principal.id === undefined || principal.kind === 'anonymous') return undefined;
      const bucket = `${principal.kind}:${principal.id}`;
      // Per execution: graphql-js gives every execution its own variables object.
      const executions = new WeakMap<object, Map<string, Promise<Counted>>>();
      const limits = (scope: string): boolean => limiters.has(scope);
      return {
        limits,
        limitsAny: (scopes) => scopes.some(limits),
        async consume(scopes, info) {
          // The events of a subscription are executions of their own, on its operation node: the
          // subscription pays once, when it starts. graphql-ws servers build a context per
          // subscription; an application that shares one context between subscriptions and also
          // shares their parsed document (a document cache) has them count once between them.
          const execution = info.operation.operation === 'subscription' ? info.operation : info.variableValues;
          let used = executions.get(execution);
          if (used === undefined) {
            used = new Map();
            executions.set(execution, used);
          }
          const pending: Promise<Counted>[] = [];
          for (const scope of scopes) {
            const limiter = limiters.get(scope);
            if (limiter === undefined) continue;
            let counted = used.get(scope);
            if (counted === undefined) {
              counted = limiter.consume(bucket).then((decision) => ({ scope, decision }));
              used.set(scope, counted);
            }
            pending.push(counted);
          }
          const error = refusalOf(await Promise.all(pending));
          if (error === null) return;
          // A refused subscription never started: the next start on this operation node asks again.
          if (execution === info.operation) executions.delete(execution);
          throw error;
        },
      };
    },
  };
}

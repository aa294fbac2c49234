import type { ApiKeyVerifierStats } from '../../src/index';

/** What the benchmark sends the auth bench server over IPC. */
export type ParentMessage = { readonly type: 'stats' } | { readonly type: 'stop' };

/** What the auth bench server reports once it listens. */
export interface AuthBenchReady {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** A valid API key with scope `greetings.read`. */
  readonly apiKey: string;
  readonly keyPrefix: string;
  readonly keyId: string;
  /** An HS256 JWT for user `bench-user` (a member of group `readers`) with scope `greetings.read`, valid 2 hours. */
  readonly jwt: string;
  /** The verifier's argon2 concurrency cap (its default). */
  readonly maxConcurrentVerifications: number;
}

/** What the auth bench server sends back. Holds throwaway credentials of a bench-only store. */
export type ServerMessage =
  | ({ readonly type: 'ready' } & AuthBenchReady)
  | {
      readonly type: 'stats';
      readonly stats: ApiKeyVerifierStats;
      /** The server process's CPU time so far (user + system, all threads), in microseconds. */
      readonly cpuMicros: number;
    };

/** Verifier settings of the auth bench server; absent ones keep the package defaults. */
export interface AuthBenchServerConfig {
  /** A MongoDB URI and database for a `MongooseScopeStore`. Default: a `MemoryScopeStore`. */
  readonly mongo?: { readonly uri: string; readonly dbName: string };
  /** The verifier's `maxConcurrentVerifications`. Default: the package default (`DEFAULT_MAX_CONCURRENT_VERIFICATIONS`). */
  readonly maxConcurrentVerifications?: number;
  /** The verifier's `cacheTtlMs`. Default: the package default (30000). */
  readonly cacheTtlMs?: number;
  /** `createScopedContext`'s `rateLimits`. Default: none. */
  readonly rateLimits?: Readonly<Record<string, string>>;
  /** Count the rate limits in this MongoDB database (`mongoRateLimitBackend`) rather than in memory. */
  readonly rateLimitMongo?: { readonly uri: string; readonly dbName: string };
}

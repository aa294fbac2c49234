import type { HashOptions } from '../../../src/keys/hash-secret';
import type { ScopeCatalog } from '../../../src/scopes/scope-catalog';
import type { ScopeChange, ScopeStore } from '../../../src/store/scope-store';

/** A store under test, made fresh for every test by the contract's `setup`. */
export interface ContractSubject {
  readonly store: ScopeStore;
  /**
   * How many database commands the store has sent so far, when the store has
   * a database: the contract checks that rejected inputs send none.
   */
  readonly commandCount?: () => number;
  /** Frees the subject (drops its database). */
  readonly teardown?: () => Promise<void>;
}

/** Builds a fresh {@link ContractSubject}; called before every contract test. */
export type ContractSetup = () => Promise<ContractSubject>;

/** Gives each contract test its subject. */
export type SubjectAccessor = () => ContractSubject;

/** Cheap argon2id parameters for tests (1 MiB, one pass): hashing takes a few milliseconds. */
export const TEST_HASH_OPTIONS: Readonly<HashOptions> = Object.freeze({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** The fixed "now" of the contract tests. */
export const CONTRACT_NOW = new Date('2030-01-02T03:04:05.000Z');

/** A small catalogue: `posts` with read/write/publish, `users` with read. */
export const CONTRACT_CATALOG: ScopeCatalog = {
  resources: [
    {
      resource: 'posts',
      scopes: [
        { scope: 'posts.read', action: 'read', coordinates: ['Query.posts'], used: true },
        { scope: 'posts.write', action: 'write', coordinates: ['Mutation.createPost'], used: true },
        { scope: 'posts.publish', action: 'publish', coordinates: ['Mutation.publishPost'], used: true },
      ],
    },
    { resource: 'users', scopes: [{ scope: 'users.read', action: 'read', coordinates: ['Query.users'], used: true }] },
  ],
};

/**
 * Freezes `Date` (only `Date`: the MongoDB driver's timers and `hrtime` keep
 * running) at `now`. Undo with `jest.useRealTimers()`.
 */
export function freezeDate(now: Date): void {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

/** Moves the frozen clock forward by `ms` milliseconds and returns the new time. */
export function advanceDate(ms: number): Date {
  const next = new Date(Date.now() + ms);
  jest.setSystemTime(next);
  return next;
}

/** Lets a test pass a value of the wrong type, as an untyped caller (JavaScript, JSON, GraphQL args) could. */
export function untyped<T>(value: unknown): T {
  return value as T;
}

/** Subscribes to `store.onChange` and returns the array the changes are pushed to. */
export function recordChanges(store: ScopeStore): ScopeChange[] {
  const changes: ScopeChange[] = [];
  store.onChange((change) => changes.push(change));
  return changes;
}

// Written through ReadonlySet so the declarations read the same on TypeScript versions before and after `SetIterator`.
type GrantIterator = ReturnType<ReadonlySet<string>['values']>;
type GrantEntryIterator = ReturnType<ReadonlySet<string>['entries']>;

/**
 * What the ES2025 set methods (`union`, `isSubsetOf`, …) accept: a size, `has`
 * and `keys`. The same shape as the `ReadonlySetLike` of TypeScript's
 * `esnext` lib, declared here so that the declarations compile under
 * `es2022` too.
 */
export interface ScopeSetLike<T> {
  readonly size: number;
  has(value: T): boolean;
  keys(): Iterator<T>;
}

/** The values of a set-like's `keys()`. */
function* keysOf<T>(other: ScopeSetLike<T>): Generator<T> {
  const iterator = other.keys();
  for (let step = iterator.next(); step.done !== true; step = iterator.next()) yield step.value;
}

/**
 * A principal's scope set that nothing can change, so one principal can
 * safely serve every request of a cached key.
 *
 * It is not a `Set`: its grants live in a private field, so neither a
 * resolver that casts `ReadonlySet` away nor `Set.prototype.add.call(scopes, '*')`
 * can widen another request's grants (the latter throws a `TypeError`,
 * "incompatible receiver"). Instances and the prototype are frozen, so
 * `has` cannot be replaced either. It implements `ReadonlySet<string>`, which
 * is what the guard and `hasScope` read.
 *
 * @example
 * ```ts
 * const principal: Principal = { kind: 'apiKey', id: 'k1', scopes: new ReadOnlyScopeSet(['posts.read']) };
 * principal.scopes.has('posts.read'); // true
 * ```
 */
export class ReadOnlyScopeSet implements ReadonlySet<string> {
  readonly #grants: ReadonlySet<string>;

  /** @param grants - The grants, copied; iteration gives them sorted, without duplicates. */
  constructor(grants: Iterable<string> = []) {
    this.#grants = new Set([...grants].sort());
    Object.freeze(this);
  }

  /** The number of grants. */
  get size(): number {
    return this.#grants.size;
  }

  /** Whether `grant` is held exactly (no wildcard matching: see `hasScope`). */
  has(grant: string): boolean {
    return this.#grants.has(grant);
  }

  /** Calls `callback` once per grant, as `Set.prototype.forEach` does. */
  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const grant of this.#grants) callback.call(thisArg, grant, grant, this);
  }

  /** `[grant, grant]` pairs, as `Set.prototype.entries` gives. */
  entries(): GrantEntryIterator {
    return this.#grants.entries();
  }

  /** The grants. */
  keys(): GrantIterator {
    return this.#grants.keys();
  }

  /** The grants. */
  values(): GrantIterator {
    return this.#grants.values();
  }

  /** The grants. */
  [Symbol.iterator](): GrantIterator {
    return this.#grants.values();
  }

  // The ES2025 set methods, which `ReadonlySet` declares under `lib: esnext` (Node 22 has them on
  // `Set`; Node 20 does not). Each returns a new, ordinary `Set`: this one never changes.

  /** A new `Set` of the grants and `other`'s values. */
  union<U>(other: ScopeSetLike<U>): Set<string | U> {
    const union = new Set<string | U>(this.#grants);
    for (const value of keysOf(other)) union.add(value);
    return union;
  }

  /** A new `Set` of the grants `other` also has. */
  intersection<U>(other: ScopeSetLike<U>): Set<string & U> {
    const both = new Set<string & U>();
    for (const grant of this.#grants) if (other.has(grant as string & U)) both.add(grant as string & U);
    return both;
  }

  /** A new `Set` of the grants `other` lacks. */
  difference<U>(other: ScopeSetLike<U>): Set<string> {
    const only = new Set<string>();
    for (const grant of this.#grants) if (!other.has(grant as string & U)) only.add(grant);
    return only;
  }

  /** A new `Set` of the values in exactly one of the two. */
  symmetricDifference<U>(other: ScopeSetLike<U>): Set<string | U> {
    const either = new Set<string | U>(this.difference(other));
    for (const value of keysOf(other)) if (!this.#grants.has(value as string)) either.add(value);
    return either;
  }

  /** Whether `other` has every grant. */
  isSubsetOf(other: ScopeSetLike<unknown>): boolean {
    for (const grant of this.#grants) if (!other.has(grant)) return false;
    return true;
  }

  /** Whether every value of `other` is a grant. */
  isSupersetOf(other: ScopeSetLike<unknown>): boolean {
    for (const value of keysOf(other)) if (!this.#grants.has(value as string)) return false;
    return true;
  }

  /** Whether no grant is in `other`. */
  isDisjointFrom(other: ScopeSetLike<unknown>): boolean {
    for (const grant of this.#grants) if (other.has(grant)) return false;
    return true;
  }

  get [Symbol.toStringTag](): string {
    return 'ReadOnlyScopeSet';
  }
}

// Nobody may replace `has` for every instance either.
Object.freeze(ReadOnlyScopeSet.prototype);
Object.freeze(ReadOnlyScopeSet);

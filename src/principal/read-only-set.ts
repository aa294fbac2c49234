// Written through ReadonlySet so the declarations read the same on TypeScript versions before and after `SetIterator`.
type GrantIterator = ReturnType<ReadonlySet<string>['values']>;
type GrantEntryIterator = ReturnType<ReadonlySet<string>['entries']>;

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

  get [Symbol.toStringTag](): string {
    return 'ReadOnlyScopeSet';
  }
}

// Nobody may replace `has` for every instance either.
Object.freeze(ReadOnlyScopeSet.prototype);
Object.freeze(ReadOnlyScopeSet);

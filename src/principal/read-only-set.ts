/**
 * A scope set that cannot be changed, so one principal can safely serve
 * every request of a cached key: a resolver that casts `ReadonlySet` away
 * and calls `add` gets a `TypeError` instead of widening other requests'
 * grants.
 */
export function readOnlySet(values: readonly string[]): ReadonlySet<string> {
  const set = new Set(values);
  const refuse = (): never => {
    throw new TypeError('A principal\'s scopes are read-only.');
  };
  for (const method of ['add', 'delete', 'clear'] as const) Object.defineProperty(set, method, { value: refuse });
  return Object.freeze(set);
}

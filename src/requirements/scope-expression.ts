/**
 * A requirement as an OR of ANDs, the shape of Apollo's, Cosmo's and Hive's
 * `@requiresScopes(scopes: [["a", "b"], ["c"]])`: holding every scope of any
 * one entry meets it. `[['posts.read']]` is one scope;
 * `@scope(anyOf: ["a", "b"]) @scope(resource: "c")` is
 * `[['a', 'c'], ['b', 'c']]`.
 */
export type ScopeExpression = readonly (readonly string[])[];

/**
 * A requirement as the directive writes it, an AND of ORs: every clause is
 * needed, and a clause is met by any one of its scopes. `[['posts.read']]`
 * is one scope; `@scope(anyOf: ["a", "b"]) @scope(resource: "c")` is
 * `[['a', 'b'], ['c']]`. Each clause is sorted and without repeats; the
 * clauses are sorted by {@link clauseKey}, and none holds another (a clause
 * that holds every scope of a smaller one is implied by it).
 */
export type ScopeClauses = readonly (readonly string[])[];

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The key of one clause: its scope when it has one, else its scopes joined
 * with `|` (`posts.moderate|posts.read`). Scope names never hold a `|`.
 */
export function clauseKey(clause: readonly string[]): string {
  return clause.length === 1 ? (clause[0] as string) : clause.join('|');
}

/**
 * Normalises clauses (see {@link ScopeClauses}): sorts each clause and drops
 * its repeats, drops a clause that holds every scope of another, and sorts
 * the rest. Frozen.
 */
export function normalizeClauses(clauses: readonly (readonly string[])[]): ScopeClauses {
  const sorted = clauses.map((clause) => [...new Set(clause)].sort(compare));
  // Smaller clauses first, so that a clause is only compared with those that may be inside it.
  sorted.sort((a, b) => a.length - b.length || compare(clauseKey(a), clauseKey(b)));
  const kept: string[][] = [];
  for (const clause of sorted) {
    if (kept.some((smaller) => smaller.every((scope) => clause.includes(scope)))) continue;
    kept.push(clause);
  }
  kept.sort((a, b) => compare(clauseKey(a), clauseKey(b)));
  return Object.freeze(kept.map((clause) => Object.freeze(clause)));
}

/** Whether `a` and `b` are the same normalised clauses. */
export function sameClauses(a: ScopeClauses, b: ScopeClauses): boolean {
  return a.length === b.length && a.every((clause, index) => clauseKey(clause) === clauseKey(b[index] as readonly string[]));
}

/** Caps the alternatives {@link requiresScopesOf} expands to (the product of the clauses' sizes). */
export const MAX_EXPRESSION_ALTERNATIVES = 64;

/**
 * The same requirement as an OR of ANDs ({@link ScopeExpression}), the
 * form `@requiresScopes` takes: every way to pick one scope per clause,
 * without repeats and without an alternative that holds another.
 *
 * @example
 * ```ts
 * requiresScopesOf([['a', 'b'], ['c']]); // [['a', 'c'], ['b', 'c']]
 * ```
 */
export function requiresScopesOf(clauses: ScopeClauses): ScopeExpression {
  let alternatives: string[][] = [[]];
  for (const clause of clauses) {
    const next: string[][] = [];
    for (const partial of alternatives) for (const scope of clause) next.push(partial.includes(scope) ? partial : [...partial, scope]);
    alternatives = next.slice(0, MAX_EXPRESSION_ALTERNATIVES);
  }
  const sets = alternatives.map((alternative) => [...new Set(alternative)].sort(compare));
  const minimal = sets.filter((set, index) => !sets.some((other, at) => at !== index && other.length <= set.length && other.every((scope) => set.includes(scope)) && (other.length < set.length || at < index)));
  return Object.freeze(minimal.map((set) => Object.freeze(set)));
}

/** The clauses of one scope: `[[scope]]`. */
export function singleScope(scope: string): ScopeClauses {
  return Object.freeze([Object.freeze([scope])]);
}

/** How clauses read in a message: `"a"`, `one of "a", "b"`, joined with `and`. */
export function describeClauses(clauses: ScopeClauses): string {
  return clauses
    .map((clause) => (clause.length === 1 ? `"${clause[0] as string}"` : `one of ${clause.map((scope) => `"${scope}"`).join(', ')}`))
    .join(' and ');
}

/** The scopes of a clause, from its {@link clauseKey}. */
export function clauseOfKey(key: string): readonly string[] {
  return key.includes('|') ? key.split('|') : [key];
}

/**
 * Splits sorted clause keys into the scopes needed for sure (`required`)
 * and the choices (`anyOf`, each sorted), leaving out a choice that a
 * required scope already meets. Frozen.
 */
export function splitClauseKeys(keys: readonly string[]): { readonly required: readonly string[]; readonly anyOf: readonly (readonly string[])[] } {
  const required: string[] = [];
  let choices: string[] | undefined;
  for (const key of keys) {
    if (key.includes('|')) (choices ??= []).push(key);
    else required.push(key);
  }
  if (choices === undefined) return { required: Object.freeze(required), anyOf: NO_CHOICES };
  const anyOf = choices.map((key) => key.split('|')).filter((clause) => !clause.some((scope) => required.includes(scope)));
  return { required: Object.freeze(required), anyOf: Object.freeze(anyOf.map((clause) => Object.freeze(clause))) };
}

const NO_CHOICES: readonly (readonly string[])[] = Object.freeze([]);

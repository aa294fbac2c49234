import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { MAX_SCOPE_LENGTH, parseScope } from '../scopes/scope-grammar';

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

/**
 * Caps the alternatives of an OR of ANDs ({@link ScopeExpression}): what
 * {@link requiresScopesOf} may expand a requirement to, and what
 * {@link clausesOf} accepts. Beyond it, both throw; neither ever truncates
 * (a truncated OR would be stricter than the requirement it stands for).
 * Counted after absorption, at every step of the expansion.
 *
 * @default 64
 */
export const MAX_EXPRESSION_ALTERNATIVES = 64;

/**
 * Caps the clauses of an AND of ORs ({@link ScopeClauses}) that
 * {@link clausesOf} may expand an expression to, counted after absorption
 * at every step; beyond it, it throws.
 *
 * @default 64
 */
export const MAX_EXPRESSION_CLAUSES = 64;

/** Drops repeats inside each set, and each set that holds every element of another (absorption). Not sorted. */
function minimalSets(sets: readonly (readonly string[])[]): string[][] {
  const unique = sets.map((set) => [...new Set(set)]);
  // Smaller sets first, so that a set is only compared with those that may be inside it.
  unique.sort((a, b) => a.length - b.length);
  const kept: string[][] = [];
  for (const set of unique) {
    if (kept.some((smaller) => smaller.every((element) => set.includes(element)))) continue;
    kept.push(set);
  }
  return kept;
}

/**
 * One step of distributing `sets` over `choice` (`∧` over `∨`, or `∨` over
 * `∧`): every set joined with one element of the choice. A set that already
 * holds an element of the choice stays as it is, since it absorbs the rest.
 */
function distribute(sets: readonly (readonly string[])[], choice: readonly string[]): string[][] {
  const next: string[][] = [];
  for (const set of sets) {
    if (set.some((element) => choice.includes(element))) next.push([...set]);
    else for (const element of choice) next.push([...set, element]);
  }
  return next;
}

function tooLarge(coordinate: string | undefined, form: string, limit: number): ScopedPermissionsError {
  return new ScopedPermissionsError(
    'ERR_INVALID_DIRECTIVE',
    `${coordinate ?? 'A requirement'}: the requirement expands to more than ${limit} ${form}; simplify it.`,
    { details: { ...(coordinate === undefined ? {} : { coordinate }), limit } },
  );
}

/**
 * The same requirement as an OR of ANDs ({@link ScopeExpression}), the
 * form `@requiresScopes` takes: every way to pick one scope per clause,
 * without repeats and without an alternative that holds another. Exact or
 * nothing: a requirement that expands to more than
 * {@link MAX_EXPRESSION_ALTERNATIVES} alternatives is an error, never cut
 * short. The transform refuses such a requirement first (see
 * `collectRequirements`), so printing a transformed schema never meets it.
 *
 * @param coordinate - The schema coordinate named in the error (`Query.a`).
 * @example
 * ```ts
 * requiresScopesOf([['a', 'b'], ['c']]); // [['a', 'c'], ['b', 'c']]
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_DIRECTIVE` when the
 *   expansion holds more than {@link MAX_EXPRESSION_ALTERNATIVES} alternatives.
 */
export function requiresScopesOf(clauses: ScopeClauses, coordinate?: string): ScopeExpression {
  let alternatives: string[][] = [[]];
  for (const clause of normalizeClauses(clauses)) {
    // A prime clause of k scopes means at least k alternatives: a clause wider than the cap can never fit.
    if (clause.length > MAX_EXPRESSION_ALTERNATIVES) throw tooLarge(coordinate, 'alternatives', MAX_EXPRESSION_ALTERNATIVES);
    alternatives = minimalSets(distribute(alternatives, clause));
    if (alternatives.length > MAX_EXPRESSION_ALTERNATIVES) throw tooLarge(coordinate, 'alternatives', MAX_EXPRESSION_ALTERNATIVES);
  }
  const sorted = alternatives.map((alternative) => alternative.sort(compare));
  sorted.sort((a, b) => compare(clauseKey(a), clauseKey(b)));
  return Object.freeze(sorted.map((alternative) => Object.freeze(alternative)));
}

function invalidExpression(coordinate: string | undefined, problem: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_DIRECTIVE', `@requiresScopes on ${coordinate ?? 'an element'}: ${problem}`, {
    details: coordinate === undefined ? {} : { coordinate },
  });
}

/** Checks the shape of `@requiresScopes(scopes:)` and each scope's grammar, strictly: the list it was given, as strings. */
function readExpression(value: unknown, coordinate: string | undefined): readonly (readonly string[])[] {
  if (!Array.isArray(value)) throw invalidExpression(coordinate, '`scopes` must be a list of lists of scopes ([["posts.read"]]).');
  // Apollo Router reads [] and [[]] as "no scope needed"; a requirement here is never empty (see the README, Federation).
  if (value.length === 0) throw invalidExpression(coordinate, '`scopes: []` requires nothing (Apollo Router lets everyone through); remove the directive or list scopes.');
  if (value.length > MAX_EXPRESSION_ALTERNATIVES) throw tooLarge(coordinate, 'alternatives', MAX_EXPRESSION_ALTERNATIVES);
  return value.map((alternative: unknown): readonly string[] => {
    if (!Array.isArray(alternative)) throw invalidExpression(coordinate, '`scopes` must be a list of lists of scopes ([["posts.read"]]).');
    if (alternative.length === 0) throw invalidExpression(coordinate, 'an empty list of scopes (`[[]]`) is met by everyone (Apollo Router lets everyone through); list scopes.');
    if (alternative.length > MAX_EXPRESSION_CLAUSES) throw tooLarge(coordinate, 'clauses', MAX_EXPRESSION_CLAUSES);
    for (const scope of alternative as unknown[]) {
      if (typeof scope !== 'string') throw invalidExpression(coordinate, `every scope must be a string, not ${scope === null ? 'null' : typeof scope}.`);
      try {
        parseScope(scope);
      } catch (error) {
        throw new ScopedPermissionsError('ERR_INVALID_SCOPE', `@requiresScopes on ${coordinate ?? 'an element'}: invalid scope ${JSON.stringify(scope.slice(0, MAX_SCOPE_LENGTH))}; scopes are resource.action, never wildcards.`, {
          details: { ...(coordinate === undefined ? {} : { coordinate }), scope: scope.slice(0, MAX_SCOPE_LENGTH) },
          cause: error,
        });
      }
    }
    return alternative as string[];
  });
}

/**
 * The inverse of {@link requiresScopesOf}: an OR of ANDs, as
 * `@requiresScopes(scopes:)` writes it, as normalised clauses (an AND of
 * ORs, see {@link ScopeClauses}), the form every requirement of this package
 * takes. Checked strictly, since a supergraph is input: anything but a
 * non-empty list of non-empty lists of scope strings is refused, and so are
 * wildcards and scopes that break the grammar. `[]` and `[[]]`, which Apollo
 * Router reads as "no scope needed", are refused too: a gateway that
 * accepted them would check nothing where the schema says it checks scopes.
 * Exact or nothing: beyond {@link MAX_EXPRESSION_ALTERNATIVES} alternatives
 * or {@link MAX_EXPRESSION_CLAUSES} clauses it throws, never truncates.
 *
 * @param expression - The `scopes` argument's value (`unknown`: it is checked).
 * @param coordinate - The schema coordinate named in errors (`Post.title`).
 * @example
 * ```ts
 * clausesOf([['a.read', 'c.read'], ['b.read', 'c.read']]); // [['a.read', 'b.read'], ['c.read']]
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_DIRECTIVE` for a
 *   malformed, empty or too large expression; `ERR_INVALID_SCOPE` for a
 *   scope that is a wildcard or breaks the grammar.
 */
export function clausesOf(expression: unknown, coordinate?: string): ScopeClauses {
  let clauses: string[][] = [[]];
  for (const alternative of minimalSets(readExpression(expression, coordinate))) {
    clauses = minimalSets(distribute(clauses, alternative));
    if (clauses.length > MAX_EXPRESSION_CLAUSES) throw tooLarge(coordinate, 'clauses', MAX_EXPRESSION_CLAUSES);
  }
  return normalizeClauses(clauses);
}

/**
 * Whether clauses `a` imply clauses `b`: every grant set that meets `a`
 * meets `b`. Scopes are only ever required, never forbidden, so that holds
 * when each clause of `b` holds every scope of some clause of `a`.
 */
export function impliesClauses(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): boolean {
  return b.every((wider) => a.some((clause) => clause.every((scope) => wider.includes(scope))));
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

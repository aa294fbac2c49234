import type { DocumentNode, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { FORBIDDEN, UNAUTHENTICATED } from '../errors/graphql-errors';
import type { Principal } from '../principal/principal';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import { coerceVariables, enforcementsOf, selectOperation, type SelectedOperation } from './operation-source';
import { clauseGrants, grantsInclude } from '../scopes/match-scope';
import { clauseOfKey, normalizeClauses, type ScopeClauses } from '../requirements/scope-expression';
import { variableDependentRequirements } from './variable-dependent-requirements';
import { cachedPlan, cachePlan, isDynamic, type ListedSelection, listSelections, MIN_CACHED_SELECTIONS, type OperationPlan, planFromWalk, planOf, planOperation, releaseWalk, type WalkedScopes, walkScopes } from './operation-plan';

/** Options of {@link checkOperation}. */
export interface CheckOperationOptions {
  /** The schema that `scopeDirectiveTransformer` returned; its requirements are read from its `extensions`. */
  readonly schema: GraphQLSchema;
  /** The parsed operation document, validated against `schema`. */
  readonly document: DocumentNode;
  /** Which operation of a multi-operation document to check. Default: the only one. */
  readonly operationName?: string | null;
  /**
   * The request's variables, coerced here with their defaults. Default: none
   * known, so a `@skip`/`@include` on a variable counts the field as selected
   * (the conservative choice, which the CLI makes).
   */
  readonly variableValues?: Readonly<Record<string, unknown>> | null;
  /** The caller. `null`, absent or `ANONYMOUS_PRINCIPAL` is denied every scoped field with `UNAUTHENTICATED`. */
  readonly principal?: Principal | null;
  /** Passed to a dynamic `requiredScope` as `context`. Default `undefined`. */
  readonly contextValue?: unknown;
}

/**
 * One part of a selection's requirement that the caller does not meet: one
 * entry per unmet clause. A single scope is named in `requiredScope`; a
 * choice (`@scope(anyOf: …)`) in `anyOf`, any one scope of which would do.
 */
export interface DeniedSelection {
  /** The response path, aliases included, without list indexes: `['feed', 'author', 'email']`. */
  readonly path: readonly string[];
  /** The schema coordinate on the concrete type, `User.email`. */
  readonly coordinate: string;
  /** The scope the selection needs, when the unmet clause is one scope; absent for a choice. */
  readonly requiredScope?: string;
  /** The alternatives of an unmet choice: holding any one of them meets it. Absent for one scope. */
  readonly anyOf?: readonly string[];
  /**
   * The selection's whole requirement when it has several clauses (every
   * clause needed, any scope of a clause meets it), so that the unmet one
   * can be read in context. Absent for a requirement of one clause.
   */
  readonly allOf?: readonly (readonly string[])[];
  /** `UNAUTHENTICATED` without an authenticated principal, else `FORBIDDEN`. */
  readonly code: typeof UNAUTHENTICATED | typeof FORBIDDEN;
}

/** What {@link checkOperation} finds. */
export interface OperationCheck {
  /** Every scope the operation needs for sure, sorted and without duplicates. */
  readonly required: readonly string[];
  /**
   * The choices the operation needs besides `required`: any one scope of
   * each (sorted) will do. Choices that a required scope meets are left out.
   * Empty without `anyOf` requirements.
   */
  readonly anyOf: readonly (readonly string[])[];
  /** One entry per denied selection, in document order; empty when allowed. */
  readonly denied: readonly DeniedSelection[];
  /** Whether the caller may run the whole operation. Never `true` while `undetermined` lists anything. */
  readonly allowed: boolean;
  /**
   * Present only when `checkOperation` was given no `variableValues` and a
   * dynamic `requiredScope` decides some selections' requirements from
   * arguments that read variables: their coordinates, sorted. The answer
   * then cannot be known, so `allowed` is `false`; check again with the
   * request's variables.
   */
  readonly undetermined?: readonly string[];
}

/** What the internal check needs once the operation is picked and its variables coerced. */
export interface ResolvedOperationCheck extends SelectedOperation {
  readonly schema: GraphQLSchema;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Pass the same array each time (see `planOperation`). */
  readonly enforcements: readonly ScopeEnforcement[];
  readonly principal: Principal | null | undefined;
  readonly contextValue: unknown;
}

/** What a principal lacks of a plan, and the code of the denials; `scopes` is `undefined` when it lacks every scope. */
interface Missing {
  readonly code: typeof UNAUTHENTICATED | typeof FORBIDDEN;
  readonly scopes: ReadonlySet<string> | undefined;
}

const NOT_AUTHENTICATED: Missing = Object.freeze({ code: UNAUTHENTICATED, scopes: undefined });
const NOTHING_GRANTED: Missing = Object.freeze({ code: FORBIDDEN, scopes: undefined });

/** Whether the check treats `principal` as authenticated: an API key, a user or a JWT. */
function isAuthenticated(principal: Principal | null | undefined): principal is Principal {
  return principal != null && (principal.kind === 'apiKey' || principal.kind === 'user' || principal.kind === 'jwt');
}

/**
 * Whether the check judges two principals alike, so that one's check serves
 * the other: the same object, two unauthenticated callers, or the same kind
 * holding the very same scope set. The check reads nothing else of a
 * principal, so a `getPrincipal` that builds a new principal object on each
 * call still gets one check per execution.
 */
export function judgedAlike(a: Principal | null | undefined, b: Principal | null | undefined): boolean {
  if (a === b) return true;
  if (!isAuthenticated(a) || !isAuthenticated(b)) return !isAuthenticated(a) && !isAuthenticated(b);
  return a.kind === b.kind && a.scopes === b.scopes && a.unrestricted === b.unrestricted;
}

/** Checks a principal against an operation's plan: one to four `Set.has` per distinct scope, one per grant of a choice. */
function lackedScopes(plan: OperationPlan, principal: Principal | null | undefined): Missing | null {
  if (plan.scopes.length === 0) return null;
  if (!isAuthenticated(principal)) return NOT_AUTHENTICATED;
  // `unrestricted` marks a legacy API key; on any other kind it grants nothing.
  if (principal.unrestricted === true && principal.kind === 'apiKey') return null;
  // Scopes that are not a set (a plain array, say) grant nothing: fail closed, as the field guard does.
  const granted = typeof principal.scopes?.has === 'function' ? principal.scopes : undefined;
  if (granted === undefined) return NOTHING_GRANTED;
  let denied: Set<string> | undefined;
  // Indexed, not destructured: destructuring an array allocates an iterator.
  for (let index = 0; index < plan.scopes.length; index += 1) {
    const entry = plan.scopes[index] as (typeof plan.scopes)[number];
    const grants = entry[1];
    if (!grantsInclude(granted, grants)) (denied ??= new Set()).add(entry[0]);
  }
  return denied === undefined ? null : { code: FORBIDDEN, scopes: denied };
}

/** The check that names the denied selections, `listed` by walking the operation again. */
function deniedCheck(input: ResolvedOperationCheck, plan: OperationPlan, { code }: Missing, listed: readonly ListedSelection[]): OperationCheck {
  const denied = listed.map((selection): DeniedSelection => {
    const clause = clauseOfKey(selection.scope);
    const allOf = expressionAt(input, selection.coordinate);
    return Object.freeze({
      path: Object.freeze(selection.path),
      coordinate: selection.coordinate,
      ...(clause.length === 1 ? { requiredScope: clause[0] as string } : { anyOf: Object.freeze([...clause]) }),
      ...(allOf === undefined ? {} : { allOf }),
      code,
    });
  });
  return Object.freeze({ required: plan.required, anyOf: plan.anyOf, denied: Object.freeze(denied), allowed: denied.length === 0 });
}

/** The static requirement of a coordinate under the checked enforcements, when it has more than one clause. */
function expressionAt(input: ResolvedOperationCheck, coordinate: string): ScopeClauses | undefined {
  const dot = coordinate.indexOf('.');
  const clauses: (readonly string[])[] = [];
  for (const enforcement of input.enforcements) clauses.push(...(enforcement.requirementOf(coordinate.slice(0, dot), coordinate.slice(dot + 1))?.allOf ?? []));
  const allOf = normalizeClauses(clauses);
  return allOf.length === 1 ? undefined : allOf;
}

/** Whether a selection's scope is among the missing ones. */
const isMissing = (missing: Missing, scope: string): boolean => missing.scopes === undefined || missing.scopes.has(scope);

/**
 * Checks a picked operation against a principal. The root-field guards of
 * `'operation'` mode and the Apollo plugin call this with what graphql-js and
 * Apollo Server already resolved. Only when something is denied is the
 * operation walked again, to name the denied selections (all of them,
 * without an authenticated principal).
 */
export function checkResolvedOperation(input: ResolvedOperationCheck): OperationCheck {
  if (isDynamic(input.enforcements)) {
    // One walk, so a dynamic requirement runs once per selection.
    const selections = listSelections(input, () => true);
    const plan = planOf([...new Set(selections.map((selection) => selection.scope))].sort().map((key) => [key, clauseGrants(clauseOfKey(key))] as const));
    const missing = lackedScopes(plan, input.principal);
    return missing === null ? plan.allowedCheck : deniedCheck(input, plan, missing, selections.filter((selection) => isMissing(missing, selection.scope)));
  }
  const plan = planOperation(input);
  const missing = lackedScopes(plan, input.principal);
  return missing === null ? plan.allowedCheck : deniedCheck(input, plan, missing, listSelections(input, (scope) => isMissing(missing, scope)));
}

/**
 * The check of an operation when it refuses `principal`, `null` when it
 * allows it, answered from the cached plan or, for a small operation never
 * seen (see `MIN_CACHED_SELECTIONS`), during one walk that allocates
 * nothing per selection and caches nothing: what the root-field guards
 * need, without the check object of an allowed operation. A refusal walks
 * the operation once more, to name the denied selections.
 */
export function refusedCheck(input: ResolvedOperationCheck): OperationCheck | null {
  if (isDynamic(input.enforcements)) {
    const check = checkResolvedOperation(input);
    return check.allowed ? null : check;
  }
  let plan = cachedPlan(input);
  if (plan === undefined) {
    const walked = walkScopes(input);
    try {
      const small = walked.count < MIN_CACHED_SELECTIONS;
      if (small && meetsWalk(walked, input.principal)) return null;
      plan = planFromWalk(walked);
      if (!small) cachePlan(input, plan);
    } finally {
      releaseWalk(walked);
    }
  }
  const missing = lackedScopes(plan, input.principal);
  return missing === null ? null : deniedCheck(input, plan, missing, listSelections(input, (scope) => isMissing(missing, scope)));
}

/** Whether `principal` meets every clause a walk marked, by the rules of `lackedScopes`. */
function meetsWalk(walked: WalkedScopes, principal: Principal | null | undefined): boolean {
  const { met, others } = walked;
  if (!walked.any && others === undefined) return true;
  if (!isAuthenticated(principal)) return false;
  if (principal.unrestricted === true && principal.kind === 'apiKey') return true;
  const granted = typeof principal.scopes?.has === 'function' ? principal.scopes : undefined;
  if (granted === undefined) return false;
  const { scopeGrants } = walked.facts;
  for (let index = 0; index < scopeGrants.length; index += 1) {
    if (met[index] === 1 && !grantsInclude(granted, (scopeGrants[index] as readonly [string, readonly string[]])[1])) return false;
  }
  if (others !== undefined) for (const grants of others.values()) if (!grantsInclude(granted, grants)) return false;
  return true;
}

/** {@link refusedCheck} for the operation a resolver is executing (see {@link checkExecutingOperation}). */
export function refusedExecutingCheck(
  info: GraphQLResolveInfo,
  enforcements: readonly ScopeEnforcement[],
  principal: Principal | null | undefined,
  contextValue: unknown,
): OperationCheck | null {
  return refusedCheck({ schema: info.schema, operation: info.operation, fragments: info.fragments, variables: info.variableValues, enforcements, principal, contextValue });
}

/**
 * {@link checkResolvedOperation} for the operation a resolver is executing:
 * its schema, operation, fragments and coerced variables, from `info`.
 */
export function checkExecutingOperation(
  info: GraphQLResolveInfo,
  enforcements: readonly ScopeEnforcement[],
  principal: Principal | null | undefined,
  contextValue: unknown,
): OperationCheck {
  return checkResolvedOperation({
    schema: info.schema,
    operation: info.operation,
    fragments: info.fragments,
    variables: info.variableValues,
    enforcements,
    principal,
    contextValue,
  });
}

/**
 * Checks a whole operation before anything runs: which scopes it needs,
 * and which of its selections the principal may not make. Pure: it reads
 * the requirements the transformer stored on the schema's `extensions` and
 * never runs a resolver.
 *
 * The walk follows execution: named and inline fragments, aliases,
 * `@skip`/`@include` with the coerced variables. A selection on an interface
 * or union needs the requirement of every concrete type it can reach
 * through its type conditions (conservative AND, as Apollo Router does).
 * `__typename`, `__schema` and `__type` need nothing. Selections under a
 * denied field are judged too, so `denied` lists every missing scope.
 * A requirement that is an expression is judged clause by clause: each
 * unmet clause is one denial, naming its scope (`requiredScope`) or its
 * alternatives (`anyOf`), with the whole expression in `allOf`.
 *
 * Without `variableValues`, a requirement that a dynamic `requiredScope`
 * decides from arguments reading variables cannot be known: such an
 * operation is never `allowed`, and `undetermined` lists those selections.
 *
 * @example
 * ```ts
 * const check = checkOperation({ schema, document: parse('{ posts { id } }'), principal });
 * if (!check.allowed) console.log(check.denied.map((d) => `${d.path.join('.')}: ${d.requiredScope ?? d.anyOf?.join(' or ')}`));
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a schema
 *   that carries no requirements; `ERR_INVALID_OPERATION` for a missing or
 *   ambiguous operation, an unknown field or fragment, or invalid variable
 *   values; `ERR_INVALID_SCOPE` when a dynamic `requiredScope` returns
 *   something that is not a scope.
 */
export function checkOperation(options: CheckOperationOptions): OperationCheck {
  const enforcements = enforcementsOf(options.schema);
  const { operation, fragments } = selectOperation(options.document, options.operationName);
  const check = checkResolvedOperation({
    operation,
    fragments,
    schema: options.schema,
    variables: coerceVariables(options.schema, operation, options.variableValues),
    enforcements,
    principal: options.principal,
    contextValue: options.contextValue,
  });
  // Without the variables, a requirement a dynamic requiredScope reads from them is unknown: never an allowed.
  if (options.variableValues != null || !isDynamic(enforcements)) return check;
  const undetermined = variableDependentRequirements(options.schema, operation, fragments, enforcements);
  return undetermined.length === 0 ? check : Object.freeze({ ...check, allowed: false, undetermined: Object.freeze(undetermined) });
}

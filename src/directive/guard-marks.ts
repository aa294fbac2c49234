import type { EnforcementMode, ScopeEnforcement } from '../requirements/scope-enforcement';

/** What the transformer records about each guard it creates. */
export interface GuardMark {
  /** The directive whose requirement the guard enforces. */
  readonly directiveName: string;
  /** `'field'` for a field guard, `'operation'` for a root-field operation guard. */
  readonly mode: EnforcementMode;
  /** The requirements the guard enforces: those of the transform that made it. */
  readonly enforcement: ScopeEnforcement;
  /** The function the guard calls once the check passes (a resolver, or another guard). */
  readonly inner: unknown;
}

/**
 * The context of a probe call (see `apollo-wrapper.ts`): a guard `resolve`
 * called with it returns itself at once, reading and running nothing else.
 * Never reaches a resolver from a request: only this package holds it.
 */
export const GUARD_PROBE: object = Object.freeze(Object.create(null) as object);

/** Whether `resolver` is a guard this package made (of any transform). */
export function isGuard(resolver: unknown): boolean {
  return guardMarkOf(resolver) !== undefined;
}

// Functions are keys, so a guard that a later transform replaces is forgotten with it.
const marks = new WeakMap<object, GuardMark>();

/** Records `guard` as a guard, so that `assertScopesEnforced` can recognise it. Returns `guard`. */
export function markGuard<T extends object>(guard: T, mark: GuardMark): T {
  marks.set(guard, Object.freeze({ ...mark }));
  return guard;
}

/**
 * Whether `resolver` is a guard of `enforcement` (made by the transform that
 * recorded it, not merely one of the same directive name and mode), or a
 * guard of another directive that calls one (two directive copies stack their
 * guards). A resolver that wraps a guard is not one: the guard must be
 * outermost.
 */
export function isGuardOf(resolver: unknown, enforcement: ScopeEnforcement): boolean {
  for (let mark = guardMarkOf(resolver); mark !== undefined; mark = guardMarkOf(mark.inner)) {
    if (mark.enforcement === enforcement) return true;
  }
  return false;
}

/** The directive names of the guards stacked in `resolver`, outermost first. */
export function guardDirectiveNames(resolver: unknown): string[] {
  const names: string[] = [];
  for (let mark = guardMarkOf(resolver); mark !== undefined; mark = guardMarkOf(mark.inner)) names.push(mark.directiveName);
  return names;
}

function guardMarkOf(resolver: unknown): GuardMark | undefined {
  return typeof resolver === 'function' ? marks.get(resolver) : undefined;
}

import type { ScopeClauses } from './scope-expression';

/**
 * How a requirement's action was chosen:
 *
 * - `'explicit'`: the directive's `action` argument, or a full scope name in `anyOf`;
 * - `'default-read'`: no `action`, on a Query or Subscription field or a field of any other type;
 * - `'default-write'`: no `action`, on a Mutation field;
 * - `'delete-verb'`: no `action`, on a Mutation field with a delete verb in its name (`postDelete`).
 */
export type ActionSource = 'explicit' | 'default-read' | 'default-write' | 'delete-verb';

/** One scope a requirement names, with how its action was chosen. */
export interface NamedScope {
  /** `resource.action`. */
  readonly scope: string;
  readonly resource: string;
  readonly action: string;
  readonly actionSource: ActionSource;
}

/**
 * What one field requires, as the transformer and discovery see it: one
 * scope (the common case, `scope` set), or an expression of several.
 */
export interface FieldRequirement {
  /** The schema coordinate of the field, `Type.field`. */
  readonly coordinate: string;
  /**
   * The requirement as an AND of ORs ({@link ScopeClauses}): every clause is
   * needed, and any one scope of a clause meets it. `[['posts.read']]` for
   * one scope. Frozen.
   */
  readonly allOf: ScopeClauses;
  /** The scope, when the requirement is exactly one scope (the fast path); `undefined` for an expression. */
  readonly scope: string | undefined;
  /** Every scope the requirement names, sorted, with how its action was chosen (what was inferred). Frozen. */
  readonly scopes: readonly NamedScope[];
}

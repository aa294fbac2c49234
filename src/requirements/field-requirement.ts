/**
 * How a requirement's action was chosen:
 *
 * - `'explicit'`: the directive's `action` argument;
 * - `'default-read'`: no `action`, on a Query or Subscription field or a field of any other type;
 * - `'default-write'`: no `action`, on a Mutation field;
 * - `'delete-verb'`: no `action`, on a Mutation field with a delete verb in its name (`postDelete`).
 */
export type ActionSource = 'explicit' | 'default-read' | 'default-write' | 'delete-verb';

/** The scope one field requires, as the transformer and discovery see it. */
export interface FieldRequirement {
  /** The schema coordinate of the field, `Type.field`. */
  readonly coordinate: string;
  readonly resource: string;
  readonly action: string;
  /** `resource.action`. */
  readonly scope: string;
  /** How the action was chosen, so a reviewer can see what was inferred. */
  readonly actionSource: ActionSource;
}

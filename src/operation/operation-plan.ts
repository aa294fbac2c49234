import { type FragmentDefinitionNode, type GraphQLSchema, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import type { Grants } from './schema-facts';
import { type OperationWalk, type PathNode, pathToArray, walkOperation } from './walk-operation';

/** What the walk of one picked operation needs, besides a visitor. */
export type PlanInput = Omit<OperationWalk, 'visit'> & {
  readonly operation: OperationDefinitionNode;
};

/**
 * The distinct scopes an operation needs, whoever asks. Checking a principal
 * against a plan costs one to four `Set.has` per distinct scope.
 */
export interface OperationPlan {
  /** The distinct scopes, sorted. Frozen. */
  readonly required: readonly string[];
  /** The distinct scopes with the grants that satisfy each. Frozen. */
  readonly scopes: readonly (readonly [string, Grants])[];
}

/** One scoped selection, as `explainOperation` and the denied list show it. */
export interface ListedSelection {
  readonly path: readonly string[];
  readonly coordinate: string;
  readonly scope: string;
}

/** The plans of one operation, by the values of the variables its `@skip`/`@include` conditions read. */
interface PlanCacheEntry {
  /** The fragment definitions the plans were made with: the same operation node can come with others. */
  readonly fragments: readonly FragmentDefinitionNode[];
  readonly conditionVariables: readonly string[];
  readonly plans: Map<string, OperationPlan>;
}

/** Whether `fragments` holds the very fragment definitions an entry was made with, and no others. */
function sameFragments(entry: PlanCacheEntry, fragments: PlanInput['fragments']): boolean {
  let count = 0;
  for (const name in fragments) if (fragments[name] !== undefined) count += 1;
  if (count !== entry.fragments.length) return false;
  for (const fragment of entry.fragments) if (fragments[fragment.name.value] !== fragment) return false;
  return true;
}

// Parsed documents are reused across requests (Apollo Server caches them by query hash), so a plan
// is kept as long as its operation node lives. Keyed by the enforcements array first, then the schema.
const planCaches = new WeakMap<readonly ScopeEnforcement[], WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, PlanCacheEntry>>>();

/** Caps the plans kept per operation (one per combination of condition variable values). */
const MAX_PLANS_PER_OPERATION = 16;

/** Whether any enforcement has a dynamic requirement, whose scopes depend on arguments and context. */
export function isDynamic(enforcements: readonly ScopeEnforcement[]): boolean {
  for (const enforcement of enforcements) if (enforcement.requiredScope !== undefined) return true;
  return false;
}

function buildPlan(input: PlanInput): OperationPlan {
  const scopes = new Map<string, Grants>();
  walkOperation(
    {
      schema: input.schema,
      fragments: input.fragments,
      variables: input.variables,
      enforcements: input.enforcements,
      contextValue: input.contextValue,
      visit: (_path, _coordinate, scope, grants) => {
        if (!scopes.has(scope)) scopes.set(scope, grants);
      },
    },
    input.operation,
  );
  return Object.freeze({ required: Object.freeze([...scopes.keys()].sort()), scopes: Object.freeze([...scopes]) });
}

/**
 * Adds the variables that the `@skip`/`@include` conditions in `selectionSet` read to `names`.
 * Iterative, so that an unvalidated document nested without end cannot overflow the stack.
 */
function scanConditions(selectionSet: SelectionSetNode, names: Set<string>): void {
  const pending: SelectionSetNode[] = [selectionSet];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const selection of next.selections) {
      for (const directive of selection.directives ?? []) {
        if (directive.name.value !== 'skip' && directive.name.value !== 'include') continue;
        for (const argument of directive.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
      }
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet !== undefined) pending.push(selection.selectionSet);
    }
  }
}

/** The variables that any `@skip`/`@include` of the operation or its fragments reads. */
function conditionVariablesOf(operation: OperationDefinitionNode, fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>): string[] {
  const names = new Set<string>();
  scanConditions(operation.selectionSet, names);
  for (const fragment of Object.values(fragments)) if (fragment !== undefined) scanConditions(fragment.selectionSet, names);
  return [...names];
}

/**
 * The plan of an operation for the given variables. Plans are cached per
 * enforcements array, schema and operation node (with the same fragment
 * definitions), and per value of the
 * variables that the operation's `@skip`/`@include` read, so a document
 * served again costs a few map lookups. Under a dynamic `requiredScope`
 * (whose scopes depend on arguments and context) nothing is cached.
 */
export function planOperation(input: PlanInput): OperationPlan {
  if (isDynamic(input.enforcements)) return buildPlan(input);
  let bySchema = planCaches.get(input.enforcements);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    planCaches.set(input.enforcements, bySchema);
  }
  let byOperation = bySchema.get(input.schema);
  if (byOperation === undefined) {
    byOperation = new WeakMap();
    bySchema.set(input.schema, byOperation);
  }
  let entry = byOperation.get(input.operation);
  if (entry === undefined || !sameFragments(entry, input.fragments)) {
    const fragments = Object.values(input.fragments).filter((fragment): fragment is FragmentDefinitionNode => fragment !== undefined);
    entry = { fragments, conditionVariables: conditionVariablesOf(input.operation, input.fragments), plans: new Map() };
    byOperation.set(input.operation, entry);
  }
  let key = '';
  for (const name of entry.conditionVariables) {
    const value = Object.hasOwn(input.variables, name) ? input.variables[name] : undefined;
    key += value === true ? '1' : value === false ? '0' : '?';
  }
  let plan = entry.plans.get(key);
  if (plan === undefined) {
    plan = buildPlan(input);
    if (entry.plans.size >= MAX_PLANS_PER_OPERATION) entry.plans.clear();
    entry.plans.set(key, plan);
  }
  return plan;
}

/**
 * Walks the operation again and lists its scoped selections, in document
 * order and without repeats (one path can be reached twice through an
 * abstract type), keeping those whose scope `keep` accepts. This is the slow
 * path: explaining, or listing what a principal was denied.
 */
export function listSelections(input: PlanInput, keep: (scope: string) => boolean): ListedSelection[] {
  const listed: ListedSelection[] = [];
  const seen = new Set<string>();
  walkOperation(
    {
      schema: input.schema,
      fragments: input.fragments,
      variables: input.variables,
      enforcements: input.enforcements,
      contextValue: input.contextValue,
      visit: (path: PathNode, coordinate, scope) => {
        if (!keep(scope)) return;
        const keys = pathToArray(path);
        // Response keys and coordinates are GraphQL names, which never hold a space.
        const id = `${keys.join(' ')}  ${coordinate} ${scope}`;
        if (seen.has(id)) return;
        seen.add(id);
        listed.push({ path: keys, coordinate, scope });
      },
    },
    input.operation,
  );
  return listed;
}

import { type FragmentDefinitionNode, type GraphQLSchema, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import { splitClauseKeys } from '../requirements/scope-expression';
import { type Grants, schemaFacts } from './schema-facts';
import { NO_VARIABLES } from './operation-source';
import { type OperationWalk, type PathNode, pathToArray, walkOperation } from './walk-operation';

/** What the walk of one picked operation reads. */
export interface PlanInput {
  readonly schema: GraphQLSchema;
  /** Pass the same array each time: the schema's facts and the plans are cached per array. */
  readonly enforcements: readonly ScopeEnforcement[];
  readonly operation: OperationDefinitionNode;
  readonly fragments: OperationWalk['fragments'];
  readonly variables: OperationWalk['variables'];
  readonly contextValue: unknown;
}

/** The check of a principal that is denied nothing (an `OperationCheck`), made once per plan. */
export interface AllowedCheck {
  readonly required: readonly string[];
  readonly anyOf: readonly (readonly string[])[];
  readonly denied: readonly never[];
  readonly allowed: true;
}

/**
 * The distinct clauses an operation needs, whoever asks. Checking a principal
 * against a plan costs one to four `Set.has` per distinct scope, and one per
 * grant of a choice.
 */
export interface OperationPlan {
  /** The distinct scopes needed for sure, sorted. Frozen. */
  readonly required: readonly string[];
  /** The choices needed (any one scope of each), those a required scope meets left out. Frozen. */
  readonly anyOf: readonly (readonly string[])[];
  /** The distinct clause keys (a scope, or `a|b`) with the grants that meet each, sorted by key. Frozen. */
  readonly scopes: readonly (readonly [string, Grants])[];
  /** What a principal that holds every scope gets. Frozen. */
  readonly allowedCheck: AllowedCheck;
}

/** One scoped selection, as `explainOperation` and the denied list show it. */
export interface ListedSelection {
  readonly path: readonly string[];
  readonly coordinate: string;
  /** The clause's key: a scope, or `a|b` for a choice (`clauseKey`). */
  readonly scope: string;
}

/** The plans of one operation, by the values of the variables its `@skip`/`@include` conditions read. */
interface PlanCacheEntry {
  /** The fragment definitions the plans were made with: the same operation node can come with others. */
  readonly fragments: readonly FragmentDefinitionNode[];
  /** Worked out at the first call with variables. */
  conditionVariables: readonly string[] | undefined;
  /** The first plan made, and its key (most operations only ever have one). */
  key: string | undefined;
  plan: OperationPlan | undefined;
  /** The plans for other keys, made at the second key. */
  others: Map<string, OperationPlan> | undefined;
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

/** The plan key of a call without variables: every condition variable is unknown. Never a key of `planKey`'s alphabet. */
const NO_VARIABLES_KEY = '-';

const NO_DENIALS: readonly never[] = Object.freeze([]);

/** Whether any enforcement has a dynamic requirement, whose scopes depend on arguments and context. */
export function isDynamic(enforcements: readonly ScopeEnforcement[]): boolean {
  for (const enforcement of enforcements) if (enforcement.requiredScope !== undefined) return true;
  return false;
}

/** A plan of the given distinct clause keys with their grants, sorted by key. */
export function planOf(scopes: readonly (readonly [string, Grants])[]): OperationPlan {
  const { required, anyOf } = splitClauseKeys(scopes.map((entry) => entry[0]));
  return Object.freeze({ required, anyOf, scopes: Object.freeze(scopes), allowedCheck: Object.freeze({ required, anyOf, denied: NO_DENIALS, allowed: true as const }) });
}

const byScope = (a: readonly [string, Grants], b: readonly [string, Grants]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function buildPlan(input: PlanInput): OperationPlan {
  const facts = schemaFacts(input.schema, input.enforcements);
  // The scopes the schema names are marked by index, which is their sorted order.
  const scopesMet = new Uint8Array(facts.scopes.length);
  let others: Map<string, Grants> | undefined;
  walkOperation(
    {
      facts,
      fragments: input.fragments,
      variables: input.variables,
      contextValue: input.contextValue,
      scopesMet,
      visit: (_parent, _key, _coordinate, scope, grants, scopeIndex) => {
        if (scopeIndex >= 0) scopesMet[scopeIndex] = 1;
        else if (!(others ??= new Map()).has(scope)) others.set(scope, grants);
      },
    },
    input.operation,
  );
  const scopes: (readonly [string, Grants])[] = [];
  for (let index = 0; index < scopesMet.length; index += 1) if (scopesMet[index] === 1) scopes.push(facts.scopeGrants[index] as readonly [string, Grants]);
  if (others !== undefined) {
    scopes.push(...others);
    scopes.sort(byScope);
  }
  return planOf(scopes);
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
 * The key of the plan for these variables: one character per condition
 * variable, `1`, `0` or `?` (unknown). Without variables every condition is
 * unknown whatever the operation reads, so the operation is not scanned.
 */
function planKey(entry: PlanCacheEntry, input: PlanInput): string {
  if (input.variables === NO_VARIABLES || Reflect.ownKeys(input.variables).length === 0) return NO_VARIABLES_KEY;
  entry.conditionVariables ??= conditionVariablesOf(input.operation, input.fragments);
  let key = '';
  for (const name of entry.conditionVariables) {
    const value = Object.hasOwn(input.variables, name) ? input.variables[name] : undefined;
    key += value === true ? '1' : value === false ? '0' : '?';
  }
  return key;
}

/**
 * The plan of an operation for the given variables. Plans are cached per
 * enforcements array, schema and operation node (with the same fragment
 * definitions), and per value of the variables that the operation's
 * `@skip`/`@include` read, so a document
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
    entry = { fragments, conditionVariables: undefined, key: undefined, plan: undefined, others: undefined };
    byOperation.set(input.operation, entry);
  }
  const key = planKey(entry, input);
  if (entry.key === key && entry.plan !== undefined) return entry.plan;
  let plan = entry.others?.get(key);
  if (plan !== undefined) return plan;
  plan = buildPlan(input);
  if (entry.plan === undefined) {
    entry.key = key;
    entry.plan = plan;
  } else {
    entry.others ??= new Map();
    if (entry.others.size >= MAX_PLANS_PER_OPERATION - 1) entry.others.clear();
    entry.others.set(key, plan);
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
  // Only what comes once the walk may repeat itself is looked for here: what came before cannot come again.
  const seen = new Set<string>();
  walkOperation(
    {
      facts: schemaFacts(input.schema, input.enforcements),
      fragments: input.fragments,
      variables: input.variables,
      contextValue: input.contextValue,
      visit: (parent: PathNode | undefined, key, coordinate, scope, _grants, _scopeIndex, mayRepeat) => {
        if (!keep(scope)) return;
        const keys = pathToArray(parent, key);
        if (mayRepeat) {
          // Response keys and coordinates are GraphQL names, which never hold a space.
          const id = `${keys.join(' ')}  ${coordinate} ${scope}`;
          if (seen.has(id)) return;
          seen.add(id);
        }
        listed.push({ path: keys, coordinate, scope });
      },
    },
    input.operation,
  );
  return listed;
}

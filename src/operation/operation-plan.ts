import { type FieldNode, type FragmentDefinitionNode, type GraphQLSchema, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import { entityFieldNodes, entityPlanKey } from './entity-representations';
import { splitClauseKeys } from '../requirements/scope-expression';
import { type Grants, type SchemaFacts, schemaFacts } from './schema-facts';
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
  /** The operation's `_entities` field nodes, whose representations decide the plan too; worked out with `conditionVariables`. */
  entityNodes: readonly FieldNode[] | undefined;
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

/** What one walk of an operation met: the clause keys with an index (marked in `met`), the others, and how many selections it walked. */
export interface WalkedScopes {
  readonly facts: SchemaFacts;
  /** `met[index]` is 1 for each index of `facts.scopes` the operation needs. Scratch: give it back with {@link releaseWalk}. */
  readonly met: Uint8Array;
  /** Whether `met` has any mark. */
  readonly any: boolean;
  /** Clause keys without an index (a dynamic requirement's own), with their grants. */
  readonly others: Map<string, Grants> | undefined;
  /** The field selections walked. */
  readonly count: number;
}

/** The scratch of the walk under way, which `recordScope` writes to (saved and restored around a walk, for one started inside another). */
let recording: { met: Uint8Array; any: boolean; others: Map<string, Grants> | undefined } | undefined;
let idleMarks: Uint8Array | undefined;

/** The visitor of {@link walkScopes}; a module function, so that a walk makes no closure. */
function recordScope(_parent: PathNode | undefined, _key: string, _coordinate: string, scope: string, grants: Grants, scopeIndex: number): void {
  const target = recording as NonNullable<typeof recording>;
  if (scopeIndex >= 0) {
    target.met[scopeIndex] = 1;
    target.any = true;
  } else if (!(target.others ??= new Map()).has(scope)) target.others.set(scope, grants);
}

/**
 * Walks an operation and marks the clauses it needs, allocating nothing per
 * selection (the marks are a reused scratch array); give the result back
 * with {@link releaseWalk} once read.
 */
export function walkScopes(input: PlanInput): WalkedScopes {
  const facts = schemaFacts(input.schema, input.enforcements);
  const size = facts.scopes.length;
  let met = idleMarks;
  idleMarks = undefined;
  if (met === undefined || met.length < size) met = new Uint8Array(Math.max(size, 32));
  const saved = recording;
  const target = { met, any: false, others: undefined as Map<string, Grants> | undefined };
  recording = target;
  let count: number;
  try {
    count = walkOperation(
      { facts, fragments: input.fragments, variables: input.variables, contextValue: input.contextValue, scopesMet: met, visit: recordScope },
      input.operation,
    );
  } catch (error) {
    met.fill(0);
    idleMarks = met;
    throw error;
  } finally {
    recording = saved;
  }
  // `any` is set by `recordScope`, and by the walk itself through `scopesMet` (which it cannot tell us about): look.
  let any = target.any;
  for (let index = 0; index < size && !any; index += 1) any = met[index] === 1;
  return { facts, met, any, others: target.others, count };
}

/** Clears a walk's marks and keeps them for the next walk. */
export function releaseWalk(walked: WalkedScopes): void {
  walked.met.fill(0, 0, walked.facts.scopes.length);
  idleMarks = walked.met;
}

/** The plan of what a walk met. */
export function planFromWalk(walked: WalkedScopes): OperationPlan {
  const { facts, met, others } = walked;
  // The scopes the schema names are marked by index, which is their sorted order.
  const scopes: (readonly [string, Grants])[] = [];
  for (let index = 0; index < facts.scopes.length; index += 1) if (met[index] === 1) scopes.push(facts.scopeGrants[index] as readonly [string, Grants]);
  if (others !== undefined) {
    scopes.push(...others);
    scopes.sort(byScope);
  }
  return planOf(scopes);
}

function buildPlan(input: PlanInput): OperationPlan {
  const walked = walkScopes(input);
  try {
    return planFromWalk(walked);
  } finally {
    releaseWalk(walked);
  }
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
 * variable, `1`, `0` or `?` (unknown), then the `__typename`s of each
 * `_entities` field's representations. Without variables every condition is
 * unknown whatever the operation reads, so the operation is not scanned.
 */
function planKey(entry: PlanCacheEntry, input: PlanInput): string {
  if (input.variables === NO_VARIABLES || Reflect.ownKeys(input.variables).length === 0) return NO_VARIABLES_KEY;
  entry.conditionVariables ??= conditionVariablesOf(input.operation, input.fragments);
  entry.entityNodes ??= entityFieldNodes([input.operation, ...entry.fragments]);
  let key = '';
  for (const name of entry.conditionVariables) {
    const value = Object.hasOwn(input.variables, name) ? input.variables[name] : undefined;
    key += value === true ? '1' : value === false ? '0' : '?';
  }
  // A subgraph's `_entities` walks only the types its representations name (literals are part of the operation node).
  return entry.entityNodes.length === 0 ? key : key + entityPlanKey(input.schema, entry.entityNodes, input.variables);
}

/**
 * The plan of an operation for the given variables. Plans of operations of
 * {@link MIN_CACHED_SELECTIONS} selections or more are cached per
 * enforcements array, schema and operation node (with the same fragment
 * definitions), and per value of the variables that the operation's
 * `@skip`/`@include` read, so a large document
 * served again costs a few map lookups. Under a dynamic `requiredScope`
 * (whose scopes depend on arguments and context) nothing is cached.
 */
export function planOperation(input: PlanInput): OperationPlan {
  if (isDynamic(input.enforcements)) return buildPlan(input);
  const cached = cachedPlan(input);
  if (cached !== undefined) return cached;
  const walked = walkScopes(input);
  try {
    const plan = planFromWalk(walked);
    if (walked.count >= MIN_CACHED_SELECTIONS) cachePlan(input, plan);
    return plan;
  } finally {
    releaseWalk(walked);
  }
}

/**
 * Operations that walk fewer field selections than this are not cached: a
 * new small document is walked again at each request, for about what a
 * cache lookup costs, rather than paying for a cache entry (a `WeakMap`
 * entry per parsed document, an ephemeron that every garbage collection
 * traces), which made a small query with a new document per request a
 * third slower than plain execution.
 */
export const MIN_CACHED_SELECTIONS = 32;

/** The cached plan of an operation for these variables, if any. */
export function cachedPlan(input: PlanInput): OperationPlan | undefined {
  const entry = planCaches.get(input.enforcements)?.get(input.schema)?.get(input.operation);
  if (entry === undefined || !sameFragments(entry, input.fragments)) return undefined;
  const key = planKey(entry, input);
  if (entry.key === key && entry.plan !== undefined) return entry.plan;
  return entry.others?.get(key);
}

/** Caches the plan of an operation for these variables (see {@link planOperation}). */
export function cachePlan(input: PlanInput, plan: OperationPlan): void {
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
    entry = { fragments, conditionVariables: undefined, entityNodes: undefined, key: undefined, plan: undefined, others: undefined };
    byOperation.set(input.operation, entry);
  }
  const key = planKey(entry, input);
  if (entry.plan === undefined) {
    entry.key = key;
    entry.plan = plan;
  } else {
    entry.others ??= new Map();
    if (entry.others.size >= MAX_PLANS_PER_OPERATION - 1) entry.others.clear();
    entry.others.set(key, plan);
  }
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

import type { GraphQLSchema } from 'graphql';
import { explainOperation, type ScopedSelection } from '../operation/explain-operation';
import { leastPrivilege, type SettledChoice } from '../requirements/least-privilege';
import type { LoadedOperation } from './load-operations';

/** Where one operation needs one scope. */
export interface ScopeUse {
  /** `query Feed`, or `query (anonymous)`. */
  readonly operation: string;
  readonly file: string;
  /** The response paths (aliases included, joined with dots) that need the scope. */
  readonly paths: readonly string[];
}

/** A choice (`@scope(anyOf: …)`) that the least privilege had to settle. */
export interface OperationChoice extends SettledChoice {
  /** Where the operations need the choice. */
  readonly uses: readonly ScopeUse[];
}

/** What a set of client operations needs: the counterpart of least-privilege scope derivation. */
export interface OperationScopes {
  /** The minimal scope set that runs every operation, sorted (one scope picked per open choice). */
  readonly scopes: readonly string[];
  /** For each scope, the operations and paths that need it, and those of the choices it settles (picked, or needed for sure elsewhere). */
  readonly byScope: Readonly<Record<string, readonly ScopeUse[]>>;
  /** The choices settled by picking one of their scopes; empty when no choice was made. */
  readonly choices: readonly OperationChoice[];
  /**
   * The operations whose requirements a dynamic `requiredScope` decides
   * from their variables, with those coordinates: `scopes` cannot be known
   * to run them. Empty when there is none.
   */
  readonly dynamic: readonly { readonly operation: string; readonly file: string; readonly coordinates: readonly string[] }[];
  /** Each operation with the scopes it needs for sure, its choices, and its scoped selections. */
  readonly operations: readonly {
    readonly operation: string;
    readonly file: string;
    readonly scopes: readonly string[];
    readonly anyOf: readonly (readonly string[])[];
    readonly selections: readonly ScopedSelection[];
  }[];
}

function label(operation: LoadedOperation): string {
  return `${operation.type} ${operation.name ?? '(anonymous)'}`;
}

/**
 * Explains each operation against a transformed schema (`explainOperation`,
 * with every variable unknown, so `@skip`/`@include` count as selected) and
 * gathers the least-privilege scope set: every scope needed for sure, and
 * the fewest scopes that settle the `anyOf` choices (see `leastPrivilege`),
 * each settled choice listed in `choices`.
 */
export function operationScopes(schema: GraphQLSchema, operations: readonly LoadedOperation[]): OperationScopes {
  // Uses by clause key: a scope, or `a|b` for a choice.
  const byKey = new Map<string, ScopeUse[]>();
  const addUse = (key: string, use: ScopeUse): void => {
    const uses = byKey.get(key) ?? [];
    uses.push(use);
    byKey.set(key, uses);
  };
  const keyOf = (selection: ScopedSelection): string => selection.requiredScope ?? (selection.anyOf ?? []).join('|');
  const explained = operations.map((operation) => {
    const explanation = explainOperation({ schema, document: operation.document });
    for (const key of [...explanation.required, ...explanation.anyOf.map((choice) => choice.join('|'))]) {
      const paths = [...new Set(explanation.selections.filter((selection) => keyOf(selection) === key).map((selection) => selection.path.join('.')))];
      addUse(key, { operation: label(operation), file: operation.file, paths });
    }
    return { operation: label(operation), file: operation.file, scopes: explanation.required, anyOf: explanation.anyOf, selections: explanation.selections, undetermined: explanation.undetermined ?? [] };
  });
  const dynamic = explained.filter((operation) => operation.undetermined.length > 0).map((operation) => ({ operation: operation.operation, file: operation.file, coordinates: operation.undetermined }));
  const required = [...byKey.keys()].filter((key) => !key.includes('|'));
  const open = [...byKey.keys()].filter((key) => key.includes('|')).map((key) => key.split('|'));
  const least = leastPrivilege(required, open);
  const choices = least.choices.map((choice) => ({ ...choice, uses: byKey.get(choice.anyOf.join('|')) ?? [] }));
  const { scopes } = least;
  // Every choice's uses go to the scope that settles it: the one picked, or a scope another operation needs for sure.
  for (const choice of open) {
    const settledBy = least.choices.find((settled) => settled.anyOf.join('|') === choice.join('|'))?.picked ?? choice.find((scope) => scopes.includes(scope));
    if (settledBy !== undefined) for (const use of byKey.get(choice.join('|')) ?? []) addUse(settledBy, use);
  }
  return {
    scopes,
    byScope: Object.fromEntries(scopes.map((scope) => [scope, byKey.get(scope) ?? []])),
    choices,
    dynamic,
    operations: explained.map(({ undetermined: _undetermined, ...operation }) => operation),
  };
}

/** The human-readable report of {@link operationScopes}. */
export function formatOperationScopes(result: OperationScopes): string {
  const lines = [`Scopes needed by ${result.operations.length} operation(s):`, ''];
  for (const scope of result.scopes) {
    lines.push(scope);
    for (const use of result.byScope[scope] ?? []) lines.push(`  - ${use.operation} (${use.file}): ${use.paths.join(', ')}`);
  }
  const free = result.operations.filter((operation) => operation.scopes.length === 0 && operation.anyOf.length === 0);
  if (free.length > 0) {
    if (result.scopes.length > 0) lines.push('');
    lines.push('Needs no scope:', ...free.map((operation) => `  - ${operation.operation} (${operation.file})`));
  }
  if (result.choices.length > 0) {
    lines.push('', 'Choices made (any one scope of each would do):');
    for (const choice of result.choices) {
      lines.push(`  - one of ${choice.anyOf.join(', ')}: picked ${choice.picked} (${choice.uses.map((use) => use.operation).join(', ')})`);
    }
  }
  if (result.dynamic.length > 0) {
    lines.push('', 'Decided at run time (a dynamic requiredScope reads these from variables; the scopes above may not run them):');
    for (const use of result.dynamic) lines.push(`  - ${use.operation} (${use.file}): ${use.coordinates.join(', ')}`);
  }
  lines.push('', `Least privilege: ${result.scopes.length === 0 ? '(no scope)' : result.scopes.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

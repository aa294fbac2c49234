import type { GraphQLSchema } from 'graphql';
import { explainOperation } from '../operation/explain-operation';
import type { LoadedOperation } from './load-operations';

/** Where one operation needs one scope. */
export interface ScopeUse {
  /** `query Feed`, or `query (anonymous)`. */
  readonly operation: string;
  readonly file: string;
  /** The response paths (aliases included, joined with dots) that need the scope. */
  readonly paths: readonly string[];
}

/** What a set of client operations needs: the counterpart of least-privilege scope derivation. */
export interface OperationScopes {
  /** The minimal scope set that runs every operation, sorted. */
  readonly scopes: readonly string[];
  /** For each scope, the operations and paths that need it. */
  readonly byScope: Readonly<Record<string, readonly ScopeUse[]>>;
  /** Each operation with the scopes it needs and its scoped selections. */
  readonly operations: readonly {
    readonly operation: string;
    readonly file: string;
    readonly scopes: readonly string[];
    readonly selections: readonly { readonly path: readonly string[]; readonly coordinate: string; readonly requiredScope: string }[];
  }[];
}

function label(operation: LoadedOperation): string {
  return `${operation.type} ${operation.name ?? '(anonymous)'}`;
}

/**
 * Explains each operation against a transformed schema (`explainOperation`,
 * with every variable unknown, so `@skip`/`@include` count as selected) and
 * gathers the least-privilege scope set.
 */
export function operationScopes(schema: GraphQLSchema, operations: readonly LoadedOperation[]): OperationScopes {
  const byScope = new Map<string, ScopeUse[]>();
  const explained = operations.map((operation) => {
    const explanation = explainOperation({ schema, document: operation.document });
    for (const scope of explanation.required) {
      const paths = [...new Set(explanation.selections.filter((selection) => selection.requiredScope === scope).map((selection) => selection.path.join('.')))];
      const uses = byScope.get(scope) ?? [];
      uses.push({ operation: label(operation), file: operation.file, paths });
      byScope.set(scope, uses);
    }
    return { operation: label(operation), file: operation.file, scopes: explanation.required, selections: explanation.selections };
  });
  const scopes = [...byScope.keys()].sort();
  return { scopes, byScope: Object.fromEntries(scopes.map((scope) => [scope, byScope.get(scope) ?? []])), operations: explained };
}

/** The human-readable report of {@link operationScopes}. */
export function formatOperationScopes(result: OperationScopes): string {
  const lines = [`Scopes needed by ${result.operations.length} operation(s):`, ''];
  for (const scope of result.scopes) {
    lines.push(scope);
    for (const use of result.byScope[scope] ?? []) lines.push(`  - ${use.operation} (${use.file}): ${use.paths.join(', ')}`);
  }
  const free = result.operations.filter((operation) => operation.scopes.length === 0);
  if (free.length > 0) {
    if (result.scopes.length > 0) lines.push('');
    lines.push('Needs no scope:', ...free.map((operation) => `  - ${operation.operation} (${operation.file})`));
  }
  lines.push('', `Least privilege: ${result.scopes.length === 0 ? '(no scope)' : result.scopes.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

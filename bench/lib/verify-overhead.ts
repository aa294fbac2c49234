import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Principal } from '../../src/index';
import { type CheckFailure, errorCodes, expectThat, runQuery } from './overhead-checks';
import { ALL_SCOPES } from './overhead-schema';

/** The setups the pre-flight checks compare. */
export interface OverheadSetups {
  readonly plain: GraphQLSchema;
  readonly scope: GraphQLSchema;
  /** Ours in `'operation'` mode. */
  readonly operation: GraphQLSchema;
  /** graphql-shield schemas by variant name. */
  readonly shield: ReadonlyMap<string, GraphQLSchema>;
}

/** The principals the pre-flight checks use. */
export interface CheckPrincipals {
  /** Holds exactly the scopes the queries need. */
  readonly allowed: Principal;
  /** Holds `*` only: same data from ours (wildcard match); shield rules check exact scopes. */
  readonly wildcard: Principal;
  /** Holds every needed scope but `stats.read`. */
  readonly partial: Principal;
  /** Holds no scope. */
  readonly empty: Principal;
}

/**
 * Checks, before anything is timed, that every setup returns the same data to
 * an allowed principal, and that ours and every shield variant deny a
 * principal without scopes (and only the `views` field to one without
 * `stats.read`). Returns the failures; empty means the setups are comparable.
 */
export async function verifyOverheadSetups(
  setups: OverheadSetups,
  principals: CheckPrincipals,
  documents: Readonly<Record<string, DocumentNode>>,
  rowCount: number,
): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  for (const [queryName, document] of Object.entries(documents)) {
    const plain = await runQuery(setups.plain, document, principals.allowed);
    const expected = JSON.stringify(plain.data);
    expectThat(failures, `${queryName}: plain`, plain.errors === undefined && expected.length > 20, 'plain setup returned errors or no data');

    const guarded: [string, GraphQLSchema][] = [['scope', setups.scope], ...[...setups.shield].map(([name, schema]): [string, GraphQLSchema] => [`shield ${name}`, schema])];
    for (const [name, schema] of guarded) {
      const allowed = await runQuery(schema, document, principals.allowed);
      expectThat(failures, `${queryName}: ${name} allowed`, allowed.errors === undefined && JSON.stringify(allowed.data) === expected, 'data differs from plain or errors raised');

      const denied = await runQuery(schema, document, principals.empty);
      const deniedData = JSON.stringify(denied.data);
      expectThat(failures, `${queryName}: ${name} denies empty principal`, (denied.errors?.length ?? 0) > 0 && !deniedData.includes('Post number'), `leaked data or no error: ${deniedData.slice(0, 80)}`);

      const noPrincipal = await runQuery(schema, document, null);
      expectThat(failures, `${queryName}: ${name} denies missing principal`, (noPrincipal.errors?.length ?? 0) > 0 && !JSON.stringify(noPrincipal.data).includes('Post number'), 'leaked data or no error');

      const partial = await runQuery(schema, document, principals.partial);
      const partialText = JSON.stringify(partial.data);
      const errorCount = partial.errors?.length ?? 0;
      const expectedErrors = queryName === 'list' ? rowCount : 1;
      expectThat(failures, `${queryName}: ${name} denies views only`, errorCount === expectedErrors && !/"views":\d/.test(partialText) && partialText.includes('"views":null') && partialText.includes('Post number'), `errors=${errorCount}, expected ${expectedErrors}`);
    }

    // Operation mode: the same data when allowed; otherwise the whole operation is refused with one error naming every missing scope.
    const operationAllowed = await runQuery(setups.operation, document, principals.allowed);
    expectThat(failures, `${queryName}: operation allowed`, operationAllowed.errors === undefined && JSON.stringify(operationAllowed.data) === expected, 'data differs from plain or errors raised');
    const operationWildcard = await runQuery(setups.operation, document, principals.wildcard);
    expectThat(failures, `${queryName}: operation wildcard principal`, operationWildcard.errors === undefined && JSON.stringify(operationWildcard.data) === expected, 'wildcard grant did not return the same data');
    for (const [label, caller, code, missing] of [
      ['empty principal', principals.empty, 'FORBIDDEN', ALL_SCOPES.length],
      ['missing principal', null, 'UNAUTHENTICATED', ALL_SCOPES.length],
      ['partial principal', principals.partial, 'FORBIDDEN', 1],
    ] as const) {
      const refused = await runQuery(setups.operation, document, caller);
      const [error] = refused.errors ?? [];
      const missingScopes = error?.extensions.missingScopes;
      expectThat(
        failures,
        `${queryName}: operation denies ${label}`,
        refused.errors?.length === 1 && error?.extensions.code === code && Array.isArray(missingScopes) && missingScopes.length === missing && !JSON.stringify(refused.data).includes('Post number'),
        `errors ${JSON.stringify(refused.errors?.map((e) => e.extensions))}`,
      );
    }

    const scopeDenied = errorCodes(await runQuery(setups.scope, document, principals.empty));
    expectThat(failures, `${queryName}: scope denial code`, scopeDenied.FORBIDDEN === 1, `codes ${JSON.stringify(scopeDenied)}`);
    const scopeAnonymous = errorCodes(await runQuery(setups.scope, document, null));
    expectThat(failures, `${queryName}: scope no-principal code`, scopeAnonymous.UNAUTHENTICATED === 1, `codes ${JSON.stringify(scopeAnonymous)}`);
    const wildcard = await runQuery(setups.scope, document, principals.wildcard);
    expectThat(failures, `${queryName}: scope wildcard principal`, wildcard.errors === undefined && JSON.stringify(wildcard.data) === expected, 'wildcard grant did not return the same data');
  }
  return failures;
}

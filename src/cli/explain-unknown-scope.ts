import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/**
 * Rewrites a store's `ERR_UNKNOWN_SCOPE` for the terminal: names the scope
 * and the closest known one ("did you mean posts.read?"), or points at the
 * `scopes` command when nothing is close. Other errors come back unchanged.
 */
export function explainUnknownScope(error: unknown): unknown {
  if (!(error instanceof ScopedPermissionsError) || error.code !== 'ERR_UNKNOWN_SCOPE') return error;
  const scope = error.details?.scope;
  const suggestion = error.details?.suggestion;
  const named = typeof scope === 'string' ? ` ${JSON.stringify(scope)}` : '';
  const hint =
    typeof suggestion === 'string'
      ? `did you mean ${suggestion}?`
      : 'run "graphql-scoped-permissions scopes <schema>" to list the known scopes.';
  return new ScopedPermissionsError('ERR_UNKNOWN_SCOPE', `Unknown scope${named}: no field in the schema requires it; ${hint}`, {
    details: error.details,
    cause: error,
  });
}

import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { OperationCheckMode } from './decide-operation';

function invalid(plugin: string, option: string, message: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPTIONS', `${plugin}: ${message}`, { details: { option } });
}

/**
 * Checks the `mode` and `onDenied` options of a plugin that checks whole
 * operations; `mode` may be left out where `optional` (then `onDenied` must be too).
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad mode,
 *   an `onDenied` that is not a function, or `report` without `onDenied`.
 */
export function operationCheckMode(plugin: string, options: { readonly mode?: unknown; readonly onDenied?: unknown }, optional: boolean): OperationCheckMode | undefined {
  const { mode, onDenied } = options;
  if (!(mode === 'reject' || mode === 'report' || (optional && mode === undefined))) {
    throw invalid(plugin, 'mode', optional ? 'mode must be "reject", "report" or absent.' : 'mode must be "reject" or "report".');
  }
  if (onDenied !== undefined && typeof onDenied !== 'function') throw invalid(plugin, 'onDenied', 'onDenied must be a function.');
  if (mode === 'report' && onDenied === undefined) throw invalid(plugin, 'onDenied', 'mode "report" needs onDenied, or it reports nothing.');
  if (mode === undefined && onDenied !== undefined) throw invalid(plugin, 'onDenied', 'onDenied needs mode "reject" or "report".');
  return mode;
}

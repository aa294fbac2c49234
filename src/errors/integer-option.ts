import { ScopedPermissionsError } from './scoped-permissions-error';

/**
 * An integer option, or its default when it is `undefined`.
 *
 * @param name - The option's name, for the message and `details.option`.
 * @param min - The least value allowed.
 * @param max - The greatest value allowed. Default `Number.MAX_SAFE_INTEGER`.
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a value that is not an integer from `min` to `max`.
 */
export function integerOption(name: string, value: unknown, fallback: number, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isSafeInteger(resolved) || resolved < min || resolved > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `${name} must be an integer ${range}.`, { details: { option: name } });
  }
  return resolved;
}

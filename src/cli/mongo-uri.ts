import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** The environment variable the key and group commands read the connection string from. */
export const MONGODB_URI_ENV = 'MONGODB_URI';

/**
 * The MongoDB connection string for a command: `--mongo-uri`, else
 * `MONGODB_URI`. Prefer the variable: command-line arguments show in the
 * process list, and a connection string can hold a password.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` when neither is set.
 */
export function resolveMongoUri(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const uri = (option ?? env[MONGODB_URI_ENV] ?? '').trim();
  if (uri === '') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `No MongoDB connection string: set ${MONGODB_URI_ENV} or pass --mongo-uri.`, {
      details: { option: 'mongo-uri' },
    });
  }
  return uri;
}

/**
 * The parts of a connection string to hide in messages: the string itself,
 * and its password, raw and percent-decoded.
 */
export function mongoUriSecrets(uri: string): string[] {
  const secrets = [uri];
  const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s]+)@/i.exec(uri)?.[1];
  if (password !== undefined) {
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // A malformed escape: the raw form is hidden already.
    }
  }
  return secrets.filter((secret) => secret.length >= 3);
}

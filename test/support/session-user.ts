import type { AppUser } from '../../src/auth/create-scoped-context';
import type { CredentialRequest } from '../../src/auth/extract-credentials';

/** The header that stands in for a session cookie in tests. */
export const SESSION_USER_HEADER = 'x-session-user';

/** A `getUser` for tests: the user named by the `x-session-user` header, or nobody. */
export function sessionUserFromHeader(req: CredentialRequest): AppUser | null {
  const user = (req.headers as Record<string, string | undefined>)[SESSION_USER_HEADER];
  return user === undefined ? null : { id: user };
}

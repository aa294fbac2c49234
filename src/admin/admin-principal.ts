import type { AppUser } from '../auth/create-scoped-context';
import { fetchUserScopes } from '../auth/user-scopes';
import { looksLikeApiKey, parseApiKey } from '../keys/api-key-format';
import type { Principal } from '../principal/principal';
import { ReadOnlyScopeSet } from '../principal/read-only-set';
import { hasScope } from '../scopes/match-scope';
import { MAX_ACTOR_LENGTH, assertUserId } from '../store/store-input';
import type { AdminConfig } from './admin-config';

/** A verified principal, as the admin page shows it and records it. */
export interface AdminIdentity {
  readonly principal: Principal;
  /** The change events' `actor`: `apiKey:<id>`, `jwt:<sub>` or `user:<id>`. */
  readonly actor: string;
  /** How the page header names the admin. */
  readonly label: string;
}

/**
 * The outcome of checking a credential or a user:
 * `invalid` (unknown, wrong, revoked, expired, malformed, or a JWT with no
 * JWT verifier configured) or `not-admin` (valid, without the admin scope).
 * A store outage is thrown (`ERR_STORE_UNAVAILABLE`, `ERR_OVERLOADED`), never an outcome.
 */
export type AdminCheck =
  | { readonly ok: true; readonly identity: AdminIdentity }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'not-admin'; readonly identity: AdminIdentity };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_CREDENTIAL_LENGTH = 4096;

function identify(principal: Principal): AdminIdentity {
  const id = principal.id ?? 'unknown';
  const actor = `${principal.kind}:${id}`.slice(0, MAX_ACTOR_LENGTH);
  const label = principal.kind === 'apiKey' ? `key “${principal.name ?? id}”` : (principal.name ?? id);
  return { principal, actor, label };
}

/**
 * Whether the principal holds the admin scope through its grants. A legacy
 * key without scopes (`unrestricted`) may do everything on the API, as in
 * drf-scoped-permissions, but it never holds the admin scope: managing keys
 * is a power no key had before this page existed.
 */
function judge(config: AdminConfig, principal: Principal): AdminCheck {
  const identity = identify(principal);
  const held = hasScope({ ...principal, unrestricted: false }, config.adminScope);
  return held ? { ok: true, identity } : { ok: false, reason: 'not-admin', identity };
}

/**
 * What checking a pasted credential may cost: `'free'` when it is refused
 * on its shape alone (empty, too long, a key with a bad checksum, a JWT
 * with no JWT verifier), with no store lookup and no hash; else `'costly'`.
 * The sign-in throttle charges only costly attempts to its shared budget.
 */
export function credentialCost(config: AdminConfig, credential: string): 'free' | 'costly' {
  const value = credential.trim();
  if (value.length === 0 || value.length > MAX_CREDENTIAL_LENGTH) return 'free';
  if (looksLikeApiKey(value)) return parseApiKey(value, value.slice(0, value.indexOf('_'))) === null ? 'free' : 'costly';
  return config.jwt !== undefined && JWT_SHAPE.test(value) ? 'costly' : 'free';
}

/**
 * Verifies a pasted credential through the same verifiers as the API: an
 * API key, or a JWT when `jwt` is configured. Runs on sign-in and again on
 * every request of the session, so a revoked key is signed out at once.
 */
export async function checkCredential(config: AdminConfig, credential: string): Promise<AdminCheck> {
  const value = credential.trim();
  if (value.length === 0 || value.length > MAX_CREDENTIAL_LENGTH) return { ok: false, reason: 'invalid' };
  if (looksLikeApiKey(value)) {
    const result = await config.apiKeys.verify(value);
    return result.ok ? judge(config, result.principal) : { ok: false, reason: 'invalid' };
  }
  if (config.jwt !== undefined && JWT_SHAPE.test(value)) {
    const result = await config.jwt.verify(value);
    return result.ok ? judge(config, result.principal) : { ok: false, reason: 'invalid' };
  }
  return { ok: false, reason: 'invalid' };
}

/**
 * Checks a user from `getUser`: their groups' scopes must hold the admin
 * scope. The scopes are checked as the API checks them (an array of valid
 * grants), so a malformed store record fails closed with
 * `ERR_STORE_UNAVAILABLE` (503) rather than granting (`"posts.*"` is not
 * the grants `p`, `o`, …, `*`).
 */
export async function checkUser(config: AdminConfig, user: AppUser): Promise<AdminCheck> {
  let id: string;
  try {
    id = assertUserId(user.id);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const scopes = await fetchUserScopes(config.store, id, config.storeTimeoutMs);
  const name = typeof user.name === 'string' && user.name.length > 0 && user.name.length <= 200 ? user.name : undefined;
  const principal: Principal = { kind: 'user', id, ...(name === undefined ? {} : { name }), scopes: new ReadOnlyScopeSet(scopes) };
  return judge(config, principal);
}

import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { maskApiKey } from '../keys/api-key-format';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import type { ApiKeyRecord, ApiKeyStore } from '../store/scope-store';
import type { CommandResult } from './cli-io';
import { explainUnknownScope } from './explain-unknown-scope';
import { formatTable, formatTimestamp, printable } from './format-table';

/** Options of {@link keysCreateCommand}. */
export interface KeysCreateOptions {
  /** A human name for the key, for example the service that uses it. */
  readonly name: string;
  /** The grants, at least one (`posts.read`, `posts.*`, `*`). */
  readonly scopes: readonly string[];
  /** When the key stops working (see `parseExpiry`). Default `null` (never). */
  readonly expiresAt?: Date | null;
  /** When given, every grant must be in it (typo protection). */
  readonly catalog?: ScopeCatalog;
  /** The user who owns the key. Default: none. */
  readonly ownerId?: string;
  /** The key's own rate limit, for every request (`'1000/hour'`). Default: none. */
  readonly rateLimit?: string;
}

/**
 * The text shown for a key without scopes: a legacy key that has full access
 * unless the verifier sets `unscopedKeys: 'deny'`.
 */
export const UNRESTRICTED_LABEL = 'UNRESTRICTED (legacy key, no scopes)';

// An id as `keys list` shows it (`gsp_a1B2c3D4e5F6_…`), a bare id, or a full
// key pasted by mistake (only its id is used, and nothing of it is echoed).
const KEY_REFERENCE = /^(?:[a-z][a-z0-9]{1,15}_)?([0-9A-Za-z]{12})(?:_[^\s]*)?$/;
const MAX_REFERENCE_LENGTH = 80;

function describeKey(record: ApiKeyRecord): string {
  return `${maskApiKey(record.prefix, record.id)} (${JSON.stringify(printable(record.name))})`;
}

function scopesLabel(scopes: readonly string[]): string {
  return scopes.length === 0 ? UNRESTRICTED_LABEL : scopes.join(', ');
}

/**
 * `keys create`: creates an API key and returns the full key as the only
 * line of `stdout`, the one and only time it is shown. The details and a
 * warning to copy the key now go to `stderr`.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` without
 *   scopes; `ERR_UNKNOWN_SCOPE` ("did you mean …?") for a grant not in
 *   `catalog`; the store's `ERR_INVALID_INPUT` / `ERR_INVALID_SCOPE`.
 */
export async function keysCreateCommand(store: ApiKeyStore, options: KeysCreateOptions): Promise<CommandResult> {
  if (options.scopes.length === 0) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'Pass at least one --scope (for example --scope posts.read; "*" grants every scope).', {
      details: { option: 'scope' },
    });
  }
  const { apiKey, key } = await store
    .createApiKey({
      name: options.name,
      scopes: options.scopes,
      expiresAt: options.expiresAt ?? null,
      ...(options.ownerId === undefined ? {} : { ownerId: options.ownerId }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
      ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
    })
    .catch((error: unknown) => {
      throw explainUnknownScope(error);
    });
  const stderr = [
    `Created API key ${describeKey(apiKey)} with scopes ${scopesLabel(apiKey.scopes)}; expires ${formatTimestamp(apiKey.expiresAt, 'never')}${apiKey.rateLimit == null ? '' : `; rate limit ${apiKey.rateLimit}`}.`,
    'Copy the key now: it is shown only this once and cannot be retrieved later.',
  ].join('\n');
  return { stdout: `${key}\n`, stderr: `${stderr}\n` };
}

/** The ROTATION cell: the key this one replaced, and the key that replaced it. */
function rotationLabel(record: ApiKeyRecord, successors: ReadonlyMap<string, ApiKeyRecord>): string {
  const parts: string[] = [];
  if (record.rotatedFrom !== null) parts.push(`from ${maskApiKey(record.prefix, record.rotatedFrom)}`);
  const successor = successors.get(record.id);
  if (successor !== undefined) parts.push(`to ${maskApiKey(successor.prefix, successor.id)}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

/**
 * `keys list`: a table of every key, newest first, with masked ids, the
 * owner, and the rotation chain (`from` the key it replaced, `to` the key
 * that replaced it). Never shows a secret or a hash.
 */
export async function keysListCommand(store: ApiKeyStore): Promise<CommandResult> {
  const keys = await store.listApiKeys();
  if (keys.length === 0) return { stdout: 'No API keys.\n', stderr: '' };
  const successors = new Map(keys.filter((record) => record.rotatedFrom !== null).map((record) => [record.rotatedFrom ?? '', record]));
  const rows = keys.map((record) => [
    maskApiKey(record.prefix, record.id),
    record.name,
    scopesLabel(record.scopes),
    record.ownerId ?? '-',
    formatTimestamp(record.createdAt, '-'),
    formatTimestamp(record.expiresAt, 'never'),
    formatTimestamp(record.revokedAt, '-'),
    formatTimestamp(record.lastUsedAt, 'never'),
    rotationLabel(record, successors),
  ]);
  return { stdout: formatTable(['ID', 'NAME', 'SCOPES', 'OWNER', 'CREATED', 'EXPIRES', 'REVOKED', 'LAST USED', 'ROTATION'], rows), stderr: '' };
}

/**
 * The public id in a key reference: a bare 12-character id, the masked form
 * `keys list` prints, or a full key (whose secret is ignored, never echoed).
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` for anything else.
 */
export function keyIdFromReference(reference: string): string {
  const match = reference.length <= MAX_REFERENCE_LENGTH ? KEY_REFERENCE.exec(reference.trim()) : null;
  if (match?.[1] === undefined) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'Not an API key id: pass the 12-character id that "keys list" shows.', {
      details: { field: 'id' },
    });
  }
  return match[1];
}

/**
 * `keys revoke <id>`: revokes a key (idempotent). Accepts what
 * {@link keyIdFromReference} accepts.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` for a malformed
 *   id, `ERR_NOT_FOUND` for an unknown one.
 */
export async function keysRevokeCommand(store: ApiKeyStore, reference: string): Promise<CommandResult> {
  const record = await store.revokeApiKey(keyIdFromReference(reference));
  return { stdout: `Revoked API key ${describeKey(record)} at ${formatTimestamp(record.revokedAt, '-')}.\n`, stderr: '' };
}

/**
 * `keys rotate <id> --grace 24h`: replaces a key with a new one (same name,
 * scopes and owner) and prints the new key as the only line of `stdout`,
 * once. The old key keeps working for the grace period (`0`: it stops at
 * once); the details and a copy-it-now warning go to `stderr`.
 *
 * @param gracePeriodMs - Milliseconds (see `parseGracePeriod`).
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` for a malformed
 *   id, `ERR_NOT_FOUND` for an unknown one, `ERR_KEY_INACTIVE` for a revoked
 *   or expired key.
 */
export async function keysRotateCommand(store: ApiKeyStore, reference: string, gracePeriodMs: number): Promise<CommandResult> {
  const id = keyIdFromReference(reference);
  const { apiKey, key } = await store.rotateApiKey(id, { gracePeriodMs });
  const old = await store.getApiKey(id);
  const stops = old?.expiresAt ?? null;
  const stderr = [
    `Rotated API key ${maskApiKey(apiKey.prefix, id)} to ${describeKey(apiKey)} with scopes ${scopesLabel(apiKey.scopes)}.`,
    `The old key ${gracePeriodMs === 0 ? 'stopped working' : 'stops working'} at ${formatTimestamp(stops, 'once')}; the new one expires ${formatTimestamp(apiKey.expiresAt, 'never')}.`,
    'Copy the key now: it is shown only this once and cannot be retrieved later.',
  ].join('\n');
  return { stdout: `${key}\n`, stderr: `${stderr}\n` };
}

import type { ScopeCatalog } from '../scopes/scope-catalog';
import type { GroupRecord, GroupStore } from '../store/scope-store';
import type { CommandResult } from './cli-io';
import { explainUnknownScope } from './explain-unknown-scope';
import { formatTable, printable } from './format-table';

/** Options of {@link groupsSetCommand}. */
export interface GroupsSetOptions {
  /** The group's name. */
  readonly name: string;
  /** The grants that replace the group's current ones; may be empty. */
  readonly scopes: readonly string[];
  /** When given, every grant must be in it (typo protection). */
  readonly catalog?: ScopeCatalog;
}

function describeGroup(group: GroupRecord): string {
  const scopes = group.scopes.length === 0 ? '(no scopes)' : group.scopes.join(', ');
  const members = `${group.members.length} member${group.members.length === 1 ? '' : 's'}`;
  return `group ${JSON.stringify(printable(group.name))}: ${scopes}; ${members}`;
}

/**
 * `groups set <name> --scope …`: creates the group, or replaces its scopes
 * (its members are kept).
 *
 * @throws {@link ScopedPermissionsError} `ERR_UNKNOWN_SCOPE` ("did you mean
 *   …?") for a grant not in `catalog`; the store's `ERR_INVALID_INPUT` /
 *   `ERR_INVALID_SCOPE`.
 */
export async function groupsSetCommand(store: GroupStore, options: GroupsSetOptions): Promise<CommandResult> {
  const group = await store
    .saveGroup({ name: options.name, scopes: options.scopes, ...(options.catalog === undefined ? {} : { catalog: options.catalog }) })
    .catch((error: unknown) => {
      throw explainUnknownScope(error);
    });
  return { stdout: `Saved ${describeGroup(group)}.\n`, stderr: '' };
}

/**
 * `groups add-user <name> <userId>`: adds a user to a group (idempotent).
 *
 * @throws {@link ScopedPermissionsError} `ERR_NOT_FOUND` for an unknown
 *   group; `ERR_INVALID_INPUT` for a malformed name or user id.
 */
export async function groupsAddUserCommand(store: GroupStore, name: string, userId: string): Promise<CommandResult> {
  const group = await store.addGroupMember(name, userId);
  return { stdout: `Added user ${JSON.stringify(printable(userId))} to ${describeGroup(group)}.\n`, stderr: '' };
}

/** `groups list`: a table of every group with its scopes and members, by name. */
export async function groupsListCommand(store: GroupStore): Promise<CommandResult> {
  const groups = await store.listGroups();
  if (groups.length === 0) return { stdout: 'No groups.\n', stderr: '' };
  const rows = groups.map((group) => [
    group.name,
    group.scopes.length === 0 ? '(no scopes)' : group.scopes.join(', '),
    group.members.length === 0 ? '-' : group.members.join(', '),
  ]);
  return { stdout: formatTable(['NAME', 'SCOPES', 'MEMBERS'], rows), stderr: '' };
}

import type { GroupRecord } from '../../store/scope-store';
import { GROUP_NAME_PATTERN, MAX_GROUP_NAME_LENGTH, assertGroupName, assertUserId } from '../../store/store-input';
import type { AdminContext } from '../admin-context';
import { readCheckedForm } from '../admin-guard';
import { readText, validate } from '../forms/form-fields';
import { readGrants } from '../forms/read-grants';
import { deleteGroupPage } from '../pages/delete-group-page';
import { type GroupView, groupPage } from '../pages/group-page';
import { groupsListPage } from '../pages/groups-list-page';
import { acceptedGrants, grantsOutsideCatalog } from '../pages/scope-fieldsets';
import { groupHistory } from './activity-routes';
import { checkedGroup } from './checked-records';
import { notFound } from './not-found';
import { fieldErrorOf, isNotFound } from './store-errors';

const LIST_NOTICES: Readonly<Record<string, string>> = { deleted: 'The group was deleted.' };
const GROUP_NOTICES: Readonly<Record<string, string>> = {
  created: 'The group was created. Add its members below.',
  saved: 'Saved.',
  'member-added': 'The member was added.',
  'member-removed': 'The member was removed.',
};
const STORE_FIELDS = { group: 'name', name: 'name', scopes: 'scopes' } as const;

function noticeOf(admin: AdminContext, notices: Readonly<Record<string, string>>): { notice?: string } {
  const value = admin.request.location.query.get('notice');
  return value !== null && Object.hasOwn(notices, value) ? { notice: notices[value] as string } : {};
}

function groupPath(name: string): string {
  return `/groups/${encodeURIComponent(name)}`;
}

/** The group named `name`, or `undefined` after answering 404 (also for a name no group can have). */
async function findGroup(admin: AdminContext, name: string): Promise<GroupRecord | undefined> {
  const valid = name.length <= MAX_GROUP_NAME_LENGTH && GROUP_NAME_PATTERN.test(name);
  const group = valid ? await admin.request.config.store.getGroup(name) : null;
  if (group === null) notFound(admin, 'groups', 'group with this name');
  return group === null ? undefined : checkedGroup(group, 'getGroup');
}

async function showGroup(admin: AdminContext, status: number, view: Omit<GroupView, 'csrfToken' | 'catalog' | 'adminScope' | 'kept' | 'history'>): Promise<void> {
  const { catalog, adminScope } = admin.request.config;
  const kept = view.group === undefined ? [] : grantsOutsideCatalog(catalog, view.group.scopes);
  const history = view.group === undefined ? {} : { history: await groupHistory(admin, view.group.name) };
  admin.request.page(status, groupPage(admin.frame(view.group === undefined ? 'New group' : 'Group', 'groups'), { csrfToken: admin.csrfToken, catalog, adminScope, kept, ...view, ...history }));
}

function storedValues(group: GroupRecord): GroupView['values'] {
  return { name: group.name, grants: new Set(group.scopes) };
}

/** GET /groups: every group. */
export async function listGroups(admin: AdminContext): Promise<void> {
  const groups = (await admin.request.config.store.listGroups()).map((group) => checkedGroup(group, 'listGroups'));
  admin.request.page(200, groupsListPage(admin.frame('Groups', 'groups'), groups, noticeOf(admin, LIST_NOTICES).notice));
}

/** GET /groups/new: the empty form. */
export async function newGroupForm(admin: AdminContext): Promise<void> {
  await showGroup(admin, 200, { values: { name: '', grants: new Set() }, errors: {} });
}

function readGroupForm(form: URLSearchParams, allowed: ReadonlySet<string>) {
  const name = readText(form, 'name');
  const ticked = form.getAll('scope');
  const values = { name: name.ok ? name.value : '', grants: new Set(ticked) };
  const errors: { name?: string; scopes?: string } = {};
  const checkedName = name.ok ? validate(() => assertGroupName(name.value)) : name;
  if (!checkedName.ok) errors.name = checkedName.error;
  const grants = readGrants(ticked, allowed, false);
  if (!grants.ok) errors.scopes = grants.error;
  return { values, errors, name: checkedName.ok ? checkedName.value : '', grants: grants.ok ? grants.grants : [] };
}

const TAKEN = 'A group with this name exists already.';

/** POST /groups/new: creates the group (never replaces one) and answers 303 to its page. */
export async function createGroup(admin: AdminContext): Promise<void> {
  const { request, identity } = admin;
  const { store, catalog } = request.config;
  const form = await readCheckedForm(request, `session:${admin.sessionId}`);
  if (form === undefined) return;
  const { values, errors, name, grants } = readGroupForm(form, acceptedGrants(catalog, []));
  if (errors.name === undefined && (await store.getGroup(name)) !== null) errors.name = TAKEN;
  if (Object.keys(errors).length > 0) return showGroup(admin, 400, { values, errors });
  try {
    await store.saveGroup({ name, scopes: grants }, { actor: identity.actor });
    request.redirect(`${groupPath(name)}/edit?notice=created`);
  } catch (error) {
    const { field, message } = fieldErrorOf(error, STORE_FIELDS, 'scopes', 'name');
    await showGroup(admin, 400, { values, errors: { [field]: message } });
  }
}

/** GET /groups/:name/edit: the group's form, members and delete button. */
export async function editGroupForm(admin: AdminContext, groupName: string): Promise<void> {
  const group = await findGroup(admin, groupName);
  if (group === undefined) return;
  await showGroup(admin, 200, { group, values: storedValues(group), errors: {}, ...noticeOf(admin, GROUP_NOTICES) });
}

/**
 * POST /groups/:name/edit: saves the scopes, and renames the group when the
 * name changed. A rename creates the new group with the members, then
 * deletes the old one; if a step fails, the old group is still there.
 */
export async function saveGroup(admin: AdminContext, groupName: string): Promise<void> {
  const { request, identity } = admin;
  const { store, catalog } = request.config;
  const group = await findGroup(admin, groupName);
  if (group === undefined) return;
  const form = await readCheckedForm(request, `session:${admin.sessionId}`);
  if (form === undefined) return;
  const { values, errors, name, grants } = readGroupForm(form, acceptedGrants(catalog, grantsOutsideCatalog(catalog, group.scopes)));
  const renamed = errors.name === undefined && name !== group.name;
  if (renamed && (await store.getGroup(name)) !== null) errors.name = TAKEN;
  if (Object.keys(errors).length > 0) return showGroup(admin, 400, { group, values, errors });
  const actor = { actor: identity.actor };
  try {
    await store.saveGroup({ name, scopes: grants }, actor);
    if (renamed) {
      for (const member of group.members) await store.addGroupMember(name, member, actor);
      await store.deleteGroup(group.name, actor);
    }
    request.redirect(`${groupPath(name)}/edit?notice=saved`);
  } catch (error) {
    if (isNotFound(error)) return notFound(admin, 'groups', 'group with this name');
    const { field, message } = fieldErrorOf(error, STORE_FIELDS, 'scopes', 'name');
    await showGroup(admin, 400, { group, values, errors: { [field]: message } });
  }
}

/** POST /groups/:name/members: adds the "User id" as a member. */
export async function addMember(admin: AdminContext, groupName: string): Promise<void> {
  const group = await findGroup(admin, groupName);
  if (group === undefined) return;
  const form = await readCheckedForm(admin.request, `session:${admin.sessionId}`);
  if (form === undefined) return;
  const field = readText(form, 'userId');
  const userId = field.ok ? validate(() => assertUserId(field.value)) : field;
  if (!userId.ok) {
    return showGroup(admin, 400, { group, values: storedValues(group), errors: {}, member: { userId: field.ok ? field.value : '', error: userId.error } });
  }
  await admin.request.config.store.addGroupMember(group.name, userId.value, { actor: admin.identity.actor });
  admin.request.redirect(`${groupPath(group.name)}/edit?notice=member-added`);
}

/** POST /groups/:name/members/remove: removes one member. */
export async function removeMember(admin: AdminContext, groupName: string): Promise<void> {
  const group = await findGroup(admin, groupName);
  if (group === undefined) return;
  const form = await readCheckedForm(admin.request, `session:${admin.sessionId}`);
  if (form === undefined) return;
  const field = readText(form, 'userId');
  const userId = field.ok ? validate(() => assertUserId(field.value)) : field;
  if (!userId.ok) return showGroup(admin, 400, { group, values: storedValues(group), errors: {}, member: { userId: '', error: userId.error } });
  await admin.request.config.store.removeGroupMember(group.name, userId.value, { actor: admin.identity.actor });
  admin.request.redirect(`${groupPath(group.name)}/edit?notice=member-removed`);
}

/** GET /groups/:name/delete: the confirmation step. */
export async function confirmDeleteGroup(admin: AdminContext, groupName: string): Promise<void> {
  const group = await findGroup(admin, groupName);
  if (group === undefined) return;
  admin.request.page(200, deleteGroupPage(admin.frame('Delete group', 'groups'), group, admin.csrfToken));
}

/** POST /groups/:name/delete: deletes the group and answers 303 to the list. */
export async function deleteGroup(admin: AdminContext, groupName: string): Promise<void> {
  const group = await findGroup(admin, groupName);
  if (group === undefined) return;
  const form = await readCheckedForm(admin.request, `session:${admin.sessionId}`);
  if (form === undefined) return;
  try {
    await admin.request.config.store.deleteGroup(group.name, { actor: admin.identity.actor });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  admin.request.redirect('/groups?notice=deleted');
}

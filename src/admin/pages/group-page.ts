import type { ScopeCatalog } from '../../scopes/scope-catalog';
import type { GroupRecord } from '../../store/scope-store';
import { type SafeHtml, html } from '../html';
import { summarizeScopes } from '../scopes/scope-summary';
import { type PageFrame, csrfField, describedBy, fieldError, layout } from './layout';
import { scopeFieldsets } from './scope-fieldsets';

/** A group's scopes in a list: as for keys, except that no scopes means none, not unrestricted. */
export function summarizeGroupScopes(scopes: readonly string[]): string {
  return scopes.length === 0 ? 'none' : summarizeScopes(scopes);
}

/** What the new-group page and a group's page show. */
export interface GroupView {
  readonly csrfToken: string;
  readonly catalog: ScopeCatalog;
  /** The admin page's own scope. */
  readonly adminScope: string;
  /** The group; absent on the new-group page. */
  readonly group?: GroupRecord;
  /** Grants the group has that the catalogue does not offer. */
  readonly kept: readonly string[];
  readonly values: { readonly name: string; readonly grants: ReadonlySet<string> };
  readonly errors: { readonly name?: string; readonly scopes?: string };
  /** The "User id" field as typed, and its error. */
  readonly member?: { readonly userId: string; readonly error?: string };
  readonly notice?: string;
  /** The group's "History" section; absent on the new-group page. */
  readonly history?: SafeHtml;
}

function membersSection(frame: PageFrame, group: GroupRecord, view: GroupView): SafeHtml {
  const { base } = frame;
  const path = `${base}/groups/${encodeURIComponent(group.name)}`;
  const members =
    group.members.length === 0
      ? html`<p class="hint">No members yet.</p>`
      : html`<ul class="members">
${group.members.map(
  (userId) => html`<li><span class="mono">${userId}</span><form method="post" action="${path}/members/remove">${csrfField(view.csrfToken)}<input type="hidden" name="userId" value="${userId}"><button type="submit">Remove</button></form></li>`,
)}
</ul>`;
  const error = view.member?.error;
  return html`<h2>Members</h2>
<div class="panel">
${members}
<form method="post" action="${path}/members">
  ${csrfField(view.csrfToken)}
  <div class="field">
    <label for="userId">User id</label>
    <input type="text" id="userId" name="userId" value="${view.member?.userId ?? ''}" required maxlength="200" autocomplete="off"${describedBy('userId', error)}>
    <p class="hint">The id your application's users have: the JWT <code>sub</code>, or what <code>getUser</code> returns.</p>
    ${fieldError('userId', error)}
  </div>
  <button type="submit">Add member</button>
</form>
</div>
<h2>Delete</h2>
<form method="get" action="${path}/delete" class="panel">
  <p>Deleting the group takes its scopes from its members.</p>
  <button type="submit" class="danger">Delete group</button>
</form>`;
}

/**
 * The new-group form ("Name", the scope checkboxes, "Create group"), or a
 * group's page: the same form with "Save", its members with a "Remove"
 * button each, a "User id" field with "Add member", and "Delete group".
 */
export function groupPage(frame: PageFrame, view: GroupView): SafeHtml {
  const { base } = frame;
  const { group, values, errors } = view;
  const action = group === undefined ? `${base}/groups/new` : `${base}/groups/${encodeURIComponent(group.name)}/edit`;
  return layout(
    frame,
    html`<h1>${group === undefined ? 'New group' : html`Group “${group.name}”`}</h1>
${view.notice === undefined ? '' : html`<p class="notice" role="status">${view.notice}</p>`}
<form method="post" action="${action}">
  ${csrfField(view.csrfToken)}
  <div class="field">
    <label for="name">Name</label>
    <input type="text" id="name" name="name" value="${values.name}" required maxlength="100" autocomplete="off"${describedBy('name', errors.name)}>
    <p class="hint">Letters, digits, spaces, <code>_</code>, <code>.</code> and <code>-</code>.</p>
    ${fieldError('name', errors.name)}
  </div>
  ${scopeFieldsets({ catalog: view.catalog, adminScope: view.adminScope, checked: values.grants, kept: view.kept, ...(errors.scopes === undefined ? {} : { error: errors.scopes }) })}
  <div class="actions">
    <button type="submit" class="primary">${group === undefined ? 'Create group' : 'Save'}</button>
    <a href="${base}/groups">Cancel</a>
  </div>
</form>
${group === undefined ? '' : membersSection(frame, group, view)}
${view.history ?? ''}`,
  );
}

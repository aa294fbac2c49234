import type { GroupRecord } from '../../store/scope-store';
import { type SafeHtml, html } from '../html';
import { summarizeGroupScopes } from './group-page';
import { type PageFrame, layout } from './layout';

/** The groups list: name, scopes, members, and a "New group" link. */
export function groupsListPage(frame: PageFrame, groups: readonly GroupRecord[], notice?: string): SafeHtml {
  const { base } = frame;
  const rows =
    groups.length === 0
      ? html`<tr><td class="empty" colspan="4">No groups yet.</td></tr>`
      : groups.map(
          (group) => html`<tr>
  <td data-label="Name">${group.name}</td>
  <td data-label="Scopes">${summarizeGroupScopes(group.scopes)}</td>
  <td data-label="Members">${group.members.length}</td>
  <td data-label="Actions"><a href="${base}/groups/${encodeURIComponent(group.name)}/edit">Edit</a></td>
</tr>`,
        );
  return layout(
    frame,
    html`<h1>Groups</h1>
${notice === undefined ? '' : html`<p class="notice" role="status">${notice}</p>`}
<div class="toolbar"><p class="hint">Users get the scopes of every group they belong to.</p><a class="button primary" href="${base}/groups/new">New group</a></div>
<table class="stack">
  <thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Members</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
${rows}
  </tbody>
</table>`,
  );
}

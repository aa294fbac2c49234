import type { GroupRecord } from '../../store/scope-store';
import { type SafeHtml, html } from '../html';
import { type PageFrame, csrfField, layout } from './layout';

/** The confirmation step before deleting a group: a "Delete group" button, or Cancel. */
export function deleteGroupPage(frame: PageFrame, group: GroupRecord, csrfToken: string): SafeHtml {
  const path = `${frame.base}/groups/${encodeURIComponent(group.name)}`;
  const members = group.members.length === 1 ? '1 member loses' : `${group.members.length} members lose`;
  return layout(
    frame,
    html`<h1>Delete group “${group.name}”?</h1>
<form method="post" action="${path}/delete" class="panel">
  ${csrfField(csrfToken)}
  <p>Its ${members} the group's scopes at once. This cannot be undone.</p>
  <div class="actions">
    <button type="submit" class="danger">Delete group</button>
    <a href="${path}/edit">Cancel</a>
  </div>
</form>`,
  );
}

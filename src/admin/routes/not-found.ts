import type { AdminContext, RequestContext } from '../admin-context';
import type { AdminSection } from '../pages/layout';
import { messagePage } from '../pages/message-page';

/** Answers 404 inside the admin page, with a link back to the list. */
export function notFound(admin: AdminContext, section: AdminSection, what: string): void {
  const list = section === 'keys' ? { href: `${admin.request.base}/keys`, label: 'Back to the keys' } : { href: `${admin.request.base}/groups`, label: 'Back to the groups' };
  admin.request.page(404, messagePage(admin.frame('Not found', section), `There is no ${what} here.`, list));
}

/** Answers 404 for a path the admin page does not have. */
export function noSuchPage(request: RequestContext): void {
  request.page(404, messagePage(request.frame('Not found'), 'The admin page has no such page.', { href: `${request.base}/keys`, label: 'Go to the keys' }));
}

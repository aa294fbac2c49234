import type { AdminContext, RequestContext } from '../admin-context';
import { authenticate } from '../admin-guard';
import { addMember, confirmDeleteGroup, createGroup, deleteGroup, editGroupForm, listGroups, newGroupForm, removeMember, saveGroup } from './group-routes';
import { listActivity } from './activity-routes';
import { confirmRollKey, extendExpiry, rollKey } from './key-lifecycle-routes';
import { confirmRevokeKey, createKey, editKeyForm, listKeys, newKeyForm, revokeKey, saveKey, showCreatedKey } from './key-routes';
import { getSignIn, postSignIn, postSignOut } from './session-routes';

/** One page or action of the admin page. */
interface Route {
  readonly method: 'GET' | 'POST';
  /** Path segments below the mount; `:name` matches any one segment, passed to `run` in order. */
  readonly pattern: readonly string[];
  readonly run: (request: RequestContext, params: readonly string[]) => Promise<void>;
}

/** Runs `handler` for signed-in admins only (see `authenticate`). */
function forAdmins(handler: (admin: AdminContext, ...params: string[]) => Promise<void>): Route['run'] {
  return async (request, params) => {
    const admin = await authenticate(request);
    if (admin !== undefined) await handler(admin, ...params);
  };
}

function route(method: Route['method'], path: string, run: Route['run']): Route {
  return { method, pattern: path.split('/').filter((segment) => segment !== ''), run };
}

/** Every route. Literal segments come before parameters where both could match. */
const ROUTES: readonly Route[] = [
  route('GET', '/', async (request) => request.redirect('/keys')),
  route('GET', '/sign-in', getSignIn),
  route('POST', '/sign-in', postSignIn),
  route('POST', '/sign-out', postSignOut),
  route('GET', '/keys', forAdmins(listKeys)),
  route('GET', '/keys/new', forAdmins(newKeyForm)),
  route('POST', '/keys/new', forAdmins(createKey)),
  route('GET', '/keys/:id', forAdmins(editKeyForm)),
  route('POST', '/keys/:id', forAdmins(saveKey)),
  route('GET', '/keys/:id/created', forAdmins(showCreatedKey)),
  route('GET', '/keys/:id/revoke', forAdmins(confirmRevokeKey)),
  route('POST', '/keys/:id/revoke', forAdmins(revokeKey)),
  route('GET', '/keys/:id/roll', forAdmins(confirmRollKey)),
  route('POST', '/keys/:id/roll', forAdmins(rollKey)),
  route('POST', '/keys/:id/extend', forAdmins(extendExpiry)),
  route('GET', '/activity', forAdmins(listActivity)),
  route('GET', '/groups', forAdmins(listGroups)),
  route('GET', '/groups/new', forAdmins(newGroupForm)),
  route('POST', '/groups/new', forAdmins(createGroup)),
  route('GET', '/groups/:name/edit', forAdmins(editGroupForm)),
  route('POST', '/groups/:name/edit', forAdmins(saveGroup)),
  route('POST', '/groups/:name/members', forAdmins(addMember)),
  route('POST', '/groups/:name/members/remove', forAdmins(removeMember)),
  route('GET', '/groups/:name/delete', forAdmins(confirmDeleteGroup)),
  route('POST', '/groups/:name/delete', forAdmins(deleteGroup)),
];

/** What a path and method lead to. */
export type RouteMatch =
  | { readonly kind: 'route'; readonly run: Route['run']; readonly params: readonly string[] }
  | { readonly kind: 'method-not-allowed'; readonly allow: string }
  | { readonly kind: 'not-found' };

function decodeSegments(path: string): string[] | null {
  try {
    return path
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

function matchPattern(pattern: readonly string[], segments: readonly string[]): string[] | null {
  if (pattern.length !== segments.length) return null;
  const params: string[] = [];
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith(':')) params.push(segment);
    else if (part !== segment) return null;
  }
  return params;
}

/** Finds the route for a method (`HEAD` counts as `GET`) and a path below the mount. */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = decodeSegments(path);
  if (segments === null) return { kind: 'not-found' };
  const verb = method === 'HEAD' ? 'GET' : method;
  const allowed = new Set<string>();
  for (const candidate of ROUTES) {
    const params = matchPattern(candidate.pattern, segments);
    if (params === null) continue;
    if (candidate.method === verb) return { kind: 'route', run: candidate.run, params };
    allowed.add(candidate.method);
  }
  if (allowed.size === 0) return { kind: 'not-found' };
  if (allowed.has('GET')) allowed.add('HEAD');
  return { kind: 'method-not-allowed', allow: [...allowed].join(', ') };
}

import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import type { ApiKeyRecord } from '../../store/scope-store';
import type { AdminContext } from '../admin-context';
import { readCheckedForm } from '../admin-guard';
import { chosenExpiry, readExpiryChoice } from '../forms/expiry-choice';
import { readGracePeriod } from '../forms/grace-period';
import { keyViewPage } from '../pages/key-view-page';
import type { KeyViewView } from '../pages/key-view-page';
import { keyStatus } from '../pages/keys-list-page';
import { messagePage } from '../pages/message-page';
import { rollKeyPage } from '../pages/roll-key-page';
import { keyHistory } from './activity-routes';
import { findKey } from './find-key';

const VIEW_NOTICES: Readonly<Record<string, string>> = { extended: 'The expiry was extended.' };

/** Shows a revoked or expired key read-only, with its history. */
export async function showKeyView(admin: AdminContext, status: number, key: ApiKeyRecord, extend?: KeyViewView['extend']): Promise<void> {
  const notice = admin.request.location.query.get('notice');
  admin.request.page(
    status,
    keyViewPage(admin.frame(`Key ${key.name}`, 'keys'), {
      key,
      csrfToken: admin.csrfToken,
      nowMs: Date.now(),
      history: await keyHistory(admin, key.id),
      ...(extend === undefined ? {} : { extend }),
      ...(notice !== null && Object.hasOwn(VIEW_NOTICES, notice) ? { notice: VIEW_NOTICES[notice] as string } : {}),
    }),
  );
}

/**
 * Answers 409 when `key` is not active (revoked or expired), for every
 * action that would change it: the server refuses what the read-only page
 * does not offer, whatever a forged form sends.
 *
 * @returns Whether it answered.
 */
export function refuseInactive(admin: AdminContext, key: ApiKeyRecord, action: string): boolean {
  const status = keyStatus(key, Date.now());
  if (status === 'active') return false;
  const why = status === 'revoked' ? 'It is revoked, and a revoked key cannot be changed or brought back.' : 'It has expired: extend its expiry first.';
  admin.request.page(409, messagePage(admin.frame('Key is read-only', 'keys'), `This key cannot be ${action}. ${why}`, { href: `${admin.request.base}/keys/${key.id}`, label: 'Back to the key' }));
  return true;
}

/** GET /keys/:id/roll: the confirmation step, with the grace period. */
export async function confirmRollKey(admin: AdminContext, id: string): Promise<void> {
  const key = await findKey(admin, id);
  if (key === undefined || refuseInactive(admin, key, 'rolled')) return;
  admin.request.page(200, rollKeyPage(admin.frame('Roll key', 'keys'), key, admin.csrfToken));
}

/**
 * POST /keys/:id/roll: replaces the key (`rotateApiKey`, recorded in the
 * history), keeps the new key in the session to show once, and answers 303
 * to the new-key page.
 */
export async function rollKey(admin: AdminContext, id: string): Promise<void> {
  const key = await findKey(admin, id);
  if (key === undefined) return;
  const form = await readCheckedForm(admin.request, `session:${admin.sessionId}`);
  if (form === undefined || refuseInactive(admin, key, 'rolled')) return;
  const gracePeriodMs = readGracePeriod(form);
  if (gracePeriodMs === undefined) return admin.request.page(400, rollKeyPage(admin.frame('Roll key', 'keys'), key, admin.csrfToken, 'Pick one of the offered grace periods.'));
  try {
    const created = await admin.request.config.store.rotateApiKey(key.id, { gracePeriodMs }, { actor: admin.identity.actor });
    await admin.request.config.sessions.stashPendingKey(admin.sessionId, created.apiKey.id, created.key);
    admin.request.redirect(`/keys/${created.apiKey.id}/created`);
  } catch (error) {
    // Revoked or expired between the check and the write (another admin, another replica).
    if (error instanceof ScopedPermissionsError && error.code === 'ERR_KEY_INACTIVE') {
      const current = await findKey(admin, key.id);
      if (current === undefined || refuseInactive(admin, current, 'rolled')) return;
    }
    throw error;
  }
}

/**
 * POST /keys/:id/extend: gives an expired key a new expiry (a date in the
 * future, a preset, or never). The store records it as `expiry-extended`.
 * Refused (409) for a revoked key and for a key that has not expired.
 */
export async function extendExpiry(admin: AdminContext, id: string): Promise<void> {
  const key = await findKey(admin, id);
  if (key === undefined) return;
  const form = await readCheckedForm(admin.request, `session:${admin.sessionId}`);
  if (form === undefined) return;
  const status = keyStatus(key, Date.now());
  if (status !== 'expired') {
    const why = status === 'revoked' ? 'It is revoked, and a revoked key cannot be brought back.' : 'It has not expired: change its expiry on its page.';
    return admin.request.page(409, messagePage(admin.frame('Key not expired', 'keys'), `This key's expiry cannot be extended. ${why}`, { href: `${admin.request.base}/keys/${key.id}`, label: 'Back to the key' }));
  }
  const choice = readExpiryChoice(form, Date.now());
  const expiresAt = chosenExpiry(choice, Date.now());
  const typed = choice.kind === 'preset' ? '' : choice.expires;
  if (expiresAt !== null && !(expiresAt instanceof Date)) return showKeyView(admin, 400, key, { expires: typed, error: expiresAt.error });
  await admin.request.config.store.updateApiKey(key.id, { expiresAt }, { actor: admin.identity.actor });
  admin.request.redirect(`/keys/${key.id}?notice=extended`);
}

import { randomBytes } from 'node:crypto';
import type { ApiKeyRecord, UpdateApiKeyInput } from '../../store/scope-store';
import { assertKeyName, assertOwnerId } from '../../store/store-input';
import { type AdminContext, KEY_SHOWN_COOKIE } from '../admin-context';
import { readCheckedForm } from '../admin-guard';
import { formatDate } from '../forms/dates';
import { chosenExpiry, readExpiryChoice } from '../forms/expiry-choice';
import { readText, validate } from '../forms/form-fields';
import { readRateLimit } from '../forms/rate-limit';
import { readGrants } from '../forms/read-grants';
import { type KeyFormErrors, type KeyFormValues, keyFormPage } from '../pages/key-form-page';
import { keyStatus, keysListPage } from '../pages/keys-list-page';
import { newKeyPage } from '../pages/new-key-page';
import { revokeKeyPage } from '../pages/revoke-key-page';
import { acceptedGrants, grantsOutsideCatalog } from '../pages/scope-fieldsets';
import { offeredGrants } from '../scopes/admin-catalog';
import { keyHistory } from './activity-routes';
import { checkedKey } from './checked-records';
import { findKey } from './find-key';
import { refuseInactive, showKeyView } from './key-lifecycle-routes';
import { notFound } from './not-found';
import { fieldErrorOf, isNotFound } from './store-errors';

const LIST_NOTICES: Readonly<Record<string, string>> = { revoked: 'The key was revoked.' };
const STORE_FIELDS = { name: 'name', scopes: 'scopes', expiresAt: 'expires', ownerId: 'owner', rateLimit: 'rateLimit' } as const;

function noticeOf(admin: AdminContext, notices: Readonly<Record<string, string>>): { notice?: string } {
  const value = admin.request.location.query.get('notice');
  return value !== null && Object.hasOwn(notices, value) ? { notice: notices[value] as string } : {};
}

/** GET /keys: one page of keys, newest first, optionally searched. */
export async function listKeys(admin: AdminContext): Promise<void> {
  const { request } = admin;
  const { store, pageSize } = request.config;
  const query = request.location.query;
  const search = query.get('search') ?? '';
  const after = query.get('after') ?? undefined;
  const nowMs = Date.now();
  let keys: ApiKeyRecord[];
  try {
    keys = await store.listApiKeys({ ...(search.trim() === '' ? {} : { search }), ...(after === undefined ? {} : { after }), limit: pageSize + 1 });
  } catch (error) {
    const message = isNotFound(error)
      ? 'This page of keys no longer exists: start again from the first page.'
      : fieldErrorOf(error, { search: 'search', after: 'search', id: 'search' }, 'search', 'search').message;
    return request.page(400, keysListPage(admin.frame('API keys', 'keys'), { keys: [], search, searchError: message, paged: after !== undefined, nowMs }));
  }
  const page = keys.slice(0, pageSize).map((key) => checkedKey(key, 'listApiKeys'));
  const last = page[page.length - 1];
  request.page(
    200,
    keysListPage(admin.frame('API keys', 'keys'), {
      keys: page,
      search,
      paged: after !== undefined,
      ...(keys.length > pageSize && last !== undefined ? { nextAfter: last.id } : {}),
      nowMs,
      ...noticeOf(admin, LIST_NOTICES),
    }),
  );
}

async function showKeyForm(admin: AdminContext, status: number, key: ApiKeyRecord | undefined, values: KeyFormValues, errors: KeyFormErrors, notice?: string): Promise<void> {
  const { catalog, adminScope } = admin.request.config;
  const history = key === undefined ? undefined : await keyHistory(admin, key.id);
  admin.request.page(
    status,
    keyFormPage(admin.frame(key === undefined ? 'New key' : 'Edit key', 'keys'), {
      csrfToken: admin.csrfToken,
      catalog,
      adminScope,
      ...(key === undefined ? {} : { key }),
      kept: key === undefined ? [] : grantsOutsideCatalog(catalog, key.scopes),
      values,
      errors,
      nowMs: Date.now(),
      ...(notice === undefined ? {} : { notice }),
      ...(history === undefined ? {} : { history }),
    }),
  );
}

/** GET /keys/new: the empty form. */
export async function newKeyForm(admin: AdminContext): Promise<void> {
  await showKeyForm(admin, 200, undefined, { name: '', grants: new Set(), expires: '', owner: '', rateLimit: '' }, {});
}

/** The submitted values of a key form, and what is wrong with them. */
function readKeyForm(form: URLSearchParams, allowed: ReadonlySet<string>, requireScopes: boolean) {
  const name = readText(form, 'name');
  const owner = readText(form, 'owner');
  const expiry = readExpiryChoice(form, Date.now());
  const ticked = form.getAll('scope');
  const rate = readRateLimit(form);
  const typedOwner = owner.ok ? owner.value.trim() : '';
  const values: KeyFormValues = { name: name.ok ? name.value : '', grants: new Set(ticked), expires: expiry.kind === 'preset' ? '' : expiry.expires, owner: typedOwner, rateLimit: rate.typed };
  const errors: { -readonly [F in keyof KeyFormErrors]: KeyFormErrors[F] } = {};
  const checkedName = name.ok ? validate(() => assertKeyName(name.value)) : name;
  if (!checkedName.ok) errors.name = checkedName.error;
  const checkedOwner = owner.ok ? validate(() => assertOwnerId(typedOwner === '' ? null : typedOwner)) : owner;
  if (!checkedOwner.ok) errors.owner = checkedOwner.error;
  const grants = readGrants(ticked, allowed, requireScopes);
  if (!grants.ok) errors.scopes = grants.error;
  if (expiry.kind === 'error') errors.expires = expiry.error;
  if (!rate.rateLimit.ok) errors.rateLimit = rate.rateLimit.error;
  return {
    values,
    errors,
    expiry,
    name: checkedName.ok ? checkedName.value : '',
    ownerId: checkedOwner.ok ? checkedOwner.value : null,
    grants: grants.ok ? grants.grants : [],
    rateLimit: rate.rateLimit.ok ? rate.rateLimit.value : null,
  };
}

/** POST /keys/new: creates the key, keeps it in the session to show once, and answers 303 to that page. */
export async function createKey(admin: AdminContext): Promise<void> {
  const { request, identity } = admin;
  const { store, catalog } = request.config;
  const form = await readCheckedForm(request, `session:${admin.sessionId}`);
  if (form === undefined) return;
  const { values, errors, expiry, name, ownerId, grants, rateLimit } = readKeyForm(form, offeredGrants(catalog), true);
  let expiresAt: Date | null = null;
  if (errors.expires === undefined) {
    const parsed = chosenExpiry(expiry, Date.now());
    if (parsed === null || parsed instanceof Date) expiresAt = parsed;
    else errors.expires = parsed.error;
  }
  if (Object.keys(errors).length > 0) return showKeyForm(admin, 400, undefined, values, errors);
  try {
    const created = await store.createApiKey({ name, scopes: grants, expiresAt, ownerId, rateLimit, catalog }, { actor: identity.actor });
    await admin.request.config.sessions.stashPendingKey(admin.sessionId, created.apiKey.id, created.key);
    request.redirect(`/keys/${created.apiKey.id}/created`);
  } catch (error) {
    const { field, message } = fieldErrorOf(error, STORE_FIELDS, 'scopes', 'name');
    await showKeyForm(admin, 400, undefined, values, { [field]: message });
  }
}

/** GET /keys/:id/created: the new key, once. A reload, or going back, shows that it was shown. */
export async function showCreatedKey(admin: AdminContext, id: string): Promise<void> {
  const key = await findKey(admin, id);
  if (key === undefined) return;
  // A HEAD request (a link checker, a prefetch) must not use up the one showing.
  const secret = admin.request.req.method === 'HEAD' ? undefined : await admin.request.config.sessions.takePendingKey(admin.sessionId, key.id);
  // The next admin page deletes this cookie; that change evicts this page from the back/forward cache.
  if (secret !== undefined) admin.request.setCookie(KEY_SHOWN_COOKIE, randomBytes(16).toString('base64url'));
  admin.request.page(200, newKeyPage(admin.frame('Key created', 'keys'), key, secret));
}

/** GET /keys/:id: the edit form of an active key; a revoked or expired key opens read-only. */
export async function editKeyForm(admin: AdminContext, id: string): Promise<void> {
  const key = await findKey(admin, id);
  if (key === undefined) return;
  if (keyStatus(key, Date.now()) !== 'active') return showKeyView(admin, 200, key);
  const values: KeyFormValues = { name: key.name, grants: new Set(key.scopes), expires: key.expiresAt === null ? '' : formatDate(key.expiresAt), owner: key.ownerId ?? '', rateLimit: key.rateLimit ?? '' };
  await showKeyForm(admin, 200, key, values, {}, admin.request.location.query.get('notice') === 'saved' ? 'Saved.' : undefined);
}

function sameGrants(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((grant, index) => grant === b[index]);
}

/**
 * POST /keys/:id: renames the key, changes its expiry, owner, rate limit
 * (blank clears it) and scopes.
 * Grants the catalogue does not offer stay unless unticked. A legacy key
 * without scopes stays unrestricted while no scope is ticked. A revoked or
 * expired key is refused (409), whatever the form says.
 */
export async function saveKey(admin: AdminContext, id: string): Promise<void> {
  const { request, identity } = admin;
  const { store, catalog } = request.config;
  const key = await findKey(admin, id);
  if (key === undefined) return;
  const form = await readCheckedForm(request, `session:${admin.sessionId}`);
  if (form === undefined || refuseInactive(admin, key, 'edited')) return;
  const legacy = key.scopes.length === 0;
  const { values, errors, expiry, name, ownerId, grants, rateLimit } = readKeyForm(form, acceptedGrants(catalog, grantsOutsideCatalog(catalog, key.scopes)), !legacy);
  const currentExpiry = key.expiresAt === null ? '' : formatDate(key.expiresAt);
  const changes: UpdateApiKeyInput = {};
  if (errors.expires === undefined && (expiry.kind === 'preset' || values.expires.trim() !== currentExpiry)) {
    const expiresAt = chosenExpiry(expiry, Date.now());
    if (expiresAt === null || expiresAt instanceof Date) changes.expiresAt = expiresAt;
    else errors.expires = expiresAt.error;
  }
  if (Object.keys(errors).length > 0) return showKeyForm(admin, 400, key, values, errors);
  if (name !== key.name) changes.name = name;
  if (ownerId !== key.ownerId) changes.ownerId = ownerId;
  if (rateLimit !== (key.rateLimit ?? null)) changes.rateLimit = rateLimit;
  try {
    if (Object.keys(changes).length > 0) await store.updateApiKey(key.id, changes, { actor: identity.actor });
    if (grants.length > 0 && !sameGrants(grants, key.scopes)) await store.setApiKeyScopes(key.id, grants, { actor: identity.actor });
    request.redirect(`/keys/${key.id}?notice=saved`);
  } catch (error) {
    if (isNotFound(error)) return notFound(admin, 'keys', 'key with this id');
    const { field, message } = fieldErrorOf(error, STORE_FIELDS, 'scopes', 'name');
    await showKeyForm(admin, 400, key, values, { [field]: message });
  }
}

/** GET /keys/:id/revoke: the confirmation step. */
export async function confirmRevokeKey(admin: AdminContext, id: string): Promise<void> {
  const key = await findKey(admin, id);
  if (key === undefined) return;
  if (key.revokedAt !== null) return admin.request.redirect(`/keys/${key.id}`);
  admin.request.page(200, revokeKeyPage(admin.frame('Revoke key', 'keys'), key, admin.csrfToken));
}

/** POST /keys/:id/revoke: revokes the key (it stops working at once in this process) and answers 303 to the list. */
export async function revokeKey(admin: AdminContext, id: string): Promise<void> {
  const key = await findKey(admin, id);
  if (key === undefined) return;
  const form = await readCheckedForm(admin.request, `session:${admin.sessionId}`);
  if (form === undefined) return;
  await admin.request.config.store.revokeApiKey(key.id, { actor: admin.identity.actor });
  admin.request.redirect('/keys?notice=revoked');
}

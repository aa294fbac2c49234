import { userInfo } from 'node:os';
import type { ApiKeyImportStore, ChangeOptions, ScopeStore } from '../store/scope-store';
import { MAX_ACTOR_LENGTH } from '../store/store-input';

const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * The actor the CLI records in the audit history: `cli:<OS user>` (the
 * account running the command, from the OS, not from `$USER`), or `cli`
 * when the OS has no name for it.
 */
export function cliActor(): string {
  let name = '';
  try {
    name = userInfo().username.replace(UNPRINTABLE, '?').trim();
  } catch {
    // No passwd entry (a container's arbitrary uid): the actor stays `cli`.
  }
  return name === '' ? 'cli' : `cli:${name}`.slice(0, MAX_ACTOR_LENGTH);
}

/**
 * `store`, with `actor` given to every write that names none: what the CLI's
 * commands write through, so that each write is recorded as theirs. Options
 * a command passes (`auditAction: 'imported'`) are kept.
 */
export function actingAs(store: ScopeStore & Partial<ApiKeyImportStore>, actor: string): ScopeStore & Partial<ApiKeyImportStore> {
  const by = (options?: ChangeOptions): ChangeOptions => ({ actor, ...options });
  const importing: Partial<ApiKeyImportStore> =
    typeof store.importApiKey === 'function' ? { importApiKey: (input, options) => (store as ApiKeyImportStore).importApiKey(input, by(options)) } : {};
  return {
    ...importing,
    get hashOptions() {
      return store.hashOptions;
    },
    createApiKey: (input, options) => store.createApiKey(input, by(options)),
    getApiKey: (id) => store.getApiKey(id),
    listApiKeys: (options) => store.listApiKeys(options),
    updateApiKey: (id, changes, options) => store.updateApiKey(id, changes, by(options)),
    rotateApiKey: (id, input, options) => store.rotateApiKey(id, input, by(options)),
    revokeApiKey: (id, options) => store.revokeApiKey(id, by(options)),
    setApiKeyScopes: (id, scopes, options) => store.setApiKeyScopes(id, scopes, by(options)),
    touchApiKey: (id, at, minIntervalMs) => store.touchApiKey(id, at, minIntervalMs),
    findApiKeyCredential: (id) => store.findApiKeyCredential(id),
    updateApiKeyHash: (id, hash) => store.updateApiKeyHash(id, hash),
    onApiKeyChange: (listener) => store.onApiKeyChange(listener),
    onChange: (listener) => store.onChange(listener),
    watchChanges: (listener, options) => store.watchChanges(listener, options),
    saveGroup: (input, options) => store.saveGroup(input, by(options)),
    deleteGroup: (name, options) => store.deleteGroup(name, by(options)),
    addGroupMember: (name, userId, options) => store.addGroupMember(name, userId, by(options)),
    removeGroupMember: (name, userId, options) => store.removeGroupMember(name, userId, by(options)),
    getGroup: (name) => store.getGroup(name),
    listGroups: () => store.listGroups(),
    getUserScopes: (userId) => store.getUserScopes(userId),
    listAuditEntries: (options) => store.listAuditEntries(options),
  };
}

// graphql-scoped-permissions/admin: the admin page. A separate entry, so that
// applications that do not mount it never load it.

export { createScopeAdmin } from './create-scope-admin';
export type { ScopeAdmin, ScopeAdminHandler } from './create-scope-admin';
export { DEFAULT_ADMIN_MOUNT_PATH, DEFAULT_ADMIN_SCOPE } from './admin-options';
export type { ScopeAdminOptions } from './admin-options';
export { ADMIN_CONTENT_SECURITY_POLICY, ADMIN_SECURITY_HEADERS } from './http/security-headers';

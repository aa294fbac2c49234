// The public API of graphql-scoped-permissions. Every export is named here.

// --- errors ---
export type { ErrorCode } from './errors/error-code';
export { ScopedPermissionsError } from './errors/scoped-permissions-error';
export type { ScopedPermissionsErrorOptions } from './errors/scoped-permissions-error';
export { FORBIDDEN, UNAUTHENTICATED } from './errors/graphql-errors';

// --- scopes ---
export { MAX_SCOPE_LENGTH, SCOPE_NAME_PATTERN, formatScope, isGrant, isScopeName, normalizeGrants, parseScope } from './scopes/scope-grammar';
export type { ParsedScope } from './scopes/scope-grammar';
export { hasScope, matchScope } from './scopes/match-scope';
export { intersectGrants } from './scopes/intersect-grants';
export type { CatalogField, CatalogResource, CatalogScope, ScopeCatalog } from './scopes/scope-catalog';
export type { ActionSource, FieldRequirement, NamedScope } from './requirements/field-requirement';
export { MAX_EXPRESSION_ALTERNATIVES, MAX_EXPRESSION_CLAUSES, requiresScopesOf } from './requirements/scope-expression';
export type { ScopeClauses, ScopeExpression } from './requirements/scope-expression';
export { leastPrivilege } from './requirements/least-privilege';
export type { LeastPrivilege, SettledChoice } from './requirements/least-privilege';
export { STANDARD_ACTIONS, discoverScopes } from './scopes/discover-scopes';
export type { DiscoverScopesOptions } from './scopes/discover-scopes';
export { formatScopes } from './scopes/format-scopes';
export { expandGrants } from './federation/expand-grants';

// --- directive ---
export { scopeDirective } from './directive/scope-directive';
export type { ScopeDirective } from './directive/scope-directive';
export { createScopeDirectiveDefinition } from './directive/scope-directive-definition';
export type { ScopeExtension } from './requirements/scope-extension';
export { DEFAULT_DELETE_VERBS } from './requirements/default-action';
export type { ScopeDirectiveOptions } from './directive/scope-directive-options';
export { assertScopesEnforced } from './directive/assert-scopes-enforced';
export { assertServableSchema } from './directive/assert-servable-schema';
export type { AssertScopesEnforcedOptions } from './directive/assert-scopes-enforced';
export type { EnforcementMode, RequiredScopeInput, RequiredScopeResolver, ScopePreset } from './requirements/scope-enforcement';

// --- operation ---
export { checkOperation } from './operation/check-operation';
export type { CheckOperationOptions, DeniedSelection, OperationCheck } from './operation/check-operation';
export { explainOperation } from './operation/explain-operation';
export type { ExplainOperationOptions, OperationExplanation, ScopedSelection } from './operation/explain-operation';

// --- auth ---
export { createScopedContext } from './auth/create-scoped-context';
export { logUnauthenticated } from './auth/log-unauthenticated';
export type {
  AppUser,
  CreateScopedContextOptions,
  ScopedContext,
  ScopedContextErrorEvent,
  ScopedContextFunction,
  ScopedContextStore,
  UnauthenticatedEvent,
} from './auth/create-scoped-context';
export {
  DEFAULT_API_KEY_HEADER,
  DEFAULT_AUTH_SCHEMES,
  DEFAULT_MAX_CREDENTIAL_LENGTH,
  extractCredentials,
  normalizeApiKeyHeader,
  normalizeAuthSchemes,
} from './auth/extract-credentials';
export type {
  CredentialRejectReason,
  CredentialRequest,
  CredentialSource,
  ExtractCredentialsOptions,
  ExtractedCredential,
  HeaderRecord,
  HeadersLike,
} from './auth/extract-credentials';
export { FORWARDED_PRINCIPAL_HEADER } from './auth/forwarded/forwarded-principal';
export type { ForwardedPrincipalOptions } from './auth/forwarded/forwarded-principal';
export { createJwtVerifier } from './auth/jwt/jwt-verifier';
export { MIN_JWT_SECRET_BYTES } from './auth/jwt/jwt-verifier-options';
export type {
  InvalidScopesPolicy,
  JwtCommonOptions,
  JwtHmacAlgorithm,
  JwtJwksOptions,
  JwtKeyLike,
  JwtPublicKeyAlgorithm,
  JwtPublicKeyOptions,
  JwtRejectReason,
  JwtSecretOptions,
  CachingJwtVerifier,
  JwtVerifier,
  JwtVerifierOptions,
  JwtVerifierStats,
  JwtVerifyResult,
  UserScopeSource,
} from './auth/jwt/jwt-verifier-options';
export { createApiKeyVerifier } from './auth/api-keys/api-key-verifier';
export type { ApiKeyFailureReason, ApiKeyVerification, ApiKeyVerifier, ApiKeyVerifierStats } from './auth/api-keys/api-key-verification';
export { DEFAULT_MAX_CONCURRENT_VERIFICATIONS } from './auth/api-keys/api-key-verifier-options';
export type { ApiKeyVerifierErrorEvent, ApiKeyVerifierOptions, ApiKeyVerifierWarningEvent, OwnerScopesPolicy } from './auth/api-keys/api-key-verifier-options';
export { createUserScopeCache } from './auth/users/user-scope-cache';
export type { UserScopeCache, UserScopeCacheStats, UserScopeStore } from './auth/users/user-scope-cache';
export type { UserScopeCacheOptions } from './auth/users/user-scope-cache-options';
export type { ApiKeyVerifierStore } from './auth/api-keys/api-key-maintenance';
export { ANONYMOUS_PRINCIPAL } from './principal/principal';
export type { Principal, PrincipalKind } from './principal/principal';
export { ReadOnlyScopeSet } from './principal/read-only-set';
export type { ScopeSetLike } from './principal/read-only-set';

// --- keys ---
export { DEFAULT_KEY_PREFIX, generateApiKey, maskApiKey, parseApiKey } from './keys/api-key-format';
export type { GeneratedApiKey, ParsedApiKey } from './keys/api-key-format';
export { DEFAULT_HASH_OPTIONS } from './keys/hash-secret';
export type { HashOptions } from './keys/hash-secret';

// --- store ---
export { MemoryScopeStore } from './store/memory/memory-scope-store';
export type { MemoryScopeStoreOptions } from './store/memory/memory-scope-store';
export type {
  ApiKeyChange,
  ApiKeyCredential,
  ApiKeyCredentialStore,
  ApiKeyRecord,
  ApiKeyStore,
  ChangeOptions,
  ChangeWatch,
  ChangeWatchMode,
  ChangeWatchSource,
  CreateApiKeyInput,
  CreatedApiKey,
  GroupChange,
  GroupRecord,
  GroupStore,
  ListApiKeysOptions,
  ResetChange,
  RotateApiKeyInput,
  SaveGroupInput,
  ScopeChange,
  ScopeChangeSource,
  ScopeStore,
  UpdateApiKeyInput,
  WatchChangesOptions,
  WatchedChange,
} from './store/scope-store';
export { MAX_GRACE_PERIOD_MS } from './store/store-input';

// Rate limits (rate-limiter-flexible), in memory; the MongoDB backend is in `graphql-scoped-permissions/mongoose`.
export { MAX_RATE_POINTS, RATE_UNITS, parseRate } from './rate-limit/parse-rate';
export type { Rate } from './rate-limit/parse-rate';
export { memoryRateLimitBackend } from './rate-limit/rate-limit-backend';
export type { RateLimitBackend, RateLimitSpec } from './rate-limit/rate-limit-backend';
export { createRateLimiter } from './rate-limit/rate-limiter';
export type { RateLimitDecision, RateLimiter, RateLimiterOptions } from './rate-limit/rate-limiter';

// Importing keys with their hashes (djangorestframework-api-key, drf-scoped-permissions, `keys export`).
export { IMPORT_FORMATS, importApiKeys } from './store/import/import-api-keys';
export type { ImportApiKeysOptions, ImportFormat, ImportReport, ImportedKeyEntry } from './store/import/import-api-keys';
export type { ApiKeyImportStore, ImportApiKeyInput } from './store/scope-store';
export { inspectImportedHash } from './keys/imported-hash';
export type { ImportedHashFamily, ImportedHashInspection } from './keys/imported-hash';

export { AUDIT_ACTIONS, SYSTEM_ACTOR } from './store/audit/audit-entry';
export type { AuditAction, AuditEntry, AuditField, AuditFieldChange, AuditLogSource, AuditTarget, AuditValue, ListAuditOptions } from './store/audit/audit-entry';
export { DEFAULT_AUDIT_RETENTION_MS } from './store/audit/audit-input';

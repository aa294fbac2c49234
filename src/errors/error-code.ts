/**
 * Every `ERR_*` code this package can raise for misuse or infrastructure
 * failure. The codes are a stable public contract: match on `error.code`,
 * never on the message text.
 *
 * - `ERR_INVALID_SCOPE`: a resource, action or scope string breaks the scope
 *   grammar (`^[a-z][a-z0-9_-]*$` for each part).
 * - `ERR_INVALID_DIRECTIVE`: the `@scope` directive is declared with the wrong
 *   arguments, used with an unknown argument, or applied twice to one place.
 * - `ERR_CONFLICTING_SCOPES`: a field inherits different requirements from two
 *   interfaces and its own type does not settle which one applies.
 * - `ERR_UNSCOPED_FIELDS`: strict mode (`requireScopes: true`) found root
 *   fields without a requirement.
 * - `ERR_NO_SCOPES`: a schema given to discovery uses the directive nowhere,
 *   or, in strict mode (`requireScopes: true`), the transformer found no field
 *   with a requirement.
 * - `ERR_UNGUARDED_FIELDS`: `assertScopesEnforced` found fields that have a
 *   requirement but whose `resolve` or `subscribe` is no longer the guard
 *   (resolvers attached after the transform), or a schema that carries no
 *   requirements at all.
 * - `ERR_INVALID_OPERATION`: an operation given to `checkOperation`,
 *   `explainOperation` or the CLI cannot be checked: no such operation, an
 *   unknown field or fragment, invalid variable values, or a document that
 *   does not validate against the schema.
 * - `ERR_SCHEMA_LOAD`: a schema file is missing, unreadable or not valid SDL.
 * - `ERR_UNKNOWN_SCOPE`: a scope is not in the catalogue it was checked against.
 * - `ERR_INVALID_OPTIONS`: an options object is invalid.
 * - `ERR_NOT_FOUND`: the store has no record with that id or name.
 * - `ERR_DUPLICATE`: the store already has a record with that unique id or name.
 * - `ERR_STORE_UNAVAILABLE`: the store threw or timed out; requests fail closed.
 * - `ERR_INVALID_INPUT`: an id, name, user id or date given to a store breaks its
 *   type, length or charset rules; raised before any query.
 * - `ERR_OVERLOADED`: the API key verifier's queue of waiting hash checks is
 *   full; the request fails closed (map it to HTTP 503).
 * - `ERR_STALE_FILE`: `scopes --format ts --check <file>` found the file
 *   missing or different from what the schema gives (regenerate it).
 * - `ERR_KEY_INACTIVE`: the API key is revoked or expired, so it cannot be
 *   rotated (rotation would bring its access back).
 * - `ERR_DYNAMIC_SCOPES` (a warning): `printSubgraphSchemaWithScopes` found
 *   requirements that a `requiredScope` hook decides at run time, which a
 *   gateway's `@requiresScopes` cannot express; the subgraph still checks them.
 */
export type ErrorCode =
  | 'ERR_INVALID_SCOPE'
  | 'ERR_INVALID_DIRECTIVE'
  | 'ERR_CONFLICTING_SCOPES'
  | 'ERR_UNSCOPED_FIELDS'
  | 'ERR_NO_SCOPES'
  | 'ERR_UNGUARDED_FIELDS'
  | 'ERR_INVALID_OPERATION'
  | 'ERR_SCHEMA_LOAD'
  | 'ERR_UNKNOWN_SCOPE'
  | 'ERR_INVALID_OPTIONS'
  | 'ERR_NOT_FOUND'
  | 'ERR_DUPLICATE'
  | 'ERR_STORE_UNAVAILABLE'
  | 'ERR_INVALID_INPUT'
  | 'ERR_OVERLOADED'
  | 'ERR_KEY_INACTIVE'
  | 'ERR_DYNAMIC_SCOPES'
  | 'ERR_STALE_FILE';

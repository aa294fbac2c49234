import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** The default header that carries an API key. Header names are case-insensitive. */
export const DEFAULT_API_KEY_HEADER = 'x-api-key';

/** The default longest credential header value looked at, in characters. Longer values are rejected unread. */
export const DEFAULT_MAX_CREDENTIAL_LENGTH = 4096;

/** A Fetch-style header bag (`Headers`, Apollo's `HeaderMap`): duplicate headers arrive joined with `", "`. */
export interface HeadersLike {
  get(name: string): string | null | undefined;
}

/** Node-style headers (`IncomingMessage.headers`): lower-case names, string or string-array values. */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The part of a request the extractor reads: Node's `IncomingMessage` (Apollo
 * standalone), Express's `Request`, a Fetch `Request`, or `{ headers }`.
 */
export interface CredentialRequest {
  readonly headers: HeaderRecord | HeadersLike;
  /**
   * Node's `IncomingMessage.headersDistinct` (Node ≥ 18.3): every value of
   * every header. Node keeps only the first of duplicate `Authorization`
   * headers in `headers`; this is how the duplicate is seen and refused.
   */
  readonly headersDistinct?: Readonly<Record<string, readonly string[] | undefined>>;
  /**
   * Node's `IncomingMessage.rawHeaders`: names and values as received. When
   * present it is scanned for duplicates instead of `headersDistinct`, which
   * would build a record of every header.
   */
  readonly rawHeaders?: readonly string[];
}

/**
 * Why a request's credential headers were refused. Each maps to HTTP 401;
 * none ever falls back to anonymous.
 *
 * - `too-long`: a value is longer than `maxLength`.
 * - `duplicate-header`: the header was sent more than once.
 * - `invalid-type`: a value is neither a string nor an array of strings.
 * - `empty`: the header is present but empty, or `Authorization: Bearer` has no token.
 * - `unsupported-scheme`: `Authorization` uses a scheme not in `authSchemes` (default: only `Bearer`).
 * - `invalid-characters`: the token or key holds characters outside the
 *   RFC 6750 token set (spaces, commas, quotes, braces, NUL, non-ASCII, …).
 * - `conflicting-credentials`: both `Authorization` and the API key header are present.
 */
export type CredentialRejectReason =
  | 'too-long'
  | 'duplicate-header'
  | 'invalid-type'
  | 'empty'
  | 'unsupported-scheme'
  | 'invalid-characters'
  | 'conflicting-credentials';

/**
 * Where a credential was found: `bearer` is the `Authorization` header, under
 * any accepted scheme (`Bearer`, or one of `authSchemes`); `apiKeyHeader` the
 * API key header.
 */
export type CredentialSource = 'bearer' | 'apiKeyHeader';

/** What {@link extractCredentials} found. `value` is a secret: never log it. */
export type ExtractedCredential =
  | { readonly kind: 'none' }
  | { readonly kind: 'credential'; readonly source: CredentialSource; readonly value: string }
  | { readonly kind: 'rejected'; readonly reason: CredentialRejectReason };

/** Options of {@link extractCredentials}. */
export interface ExtractCredentialsOptions {
  /** The header that carries an API key, any case. Default `'x-api-key'`. */
  apiKeyHeader?: string;
  /** The longest header value looked at, in characters. Default 4096. */
  maxLength?: number;
  /**
   * The `Authorization` schemes that carry a key or token, matched in any
   * case, as drf-scoped-permissions' `SCOPED_API_KEY_AUTH_KEYWORD`; for
   * example `['Bearer', 'Api-Key']` accepts `Authorization: Api-Key <key>`
   * too. Any other scheme is refused (`unsupported-scheme`). Default `['Bearer']`.
   */
  authSchemes?: readonly string[];
}

/** {@link ExtractCredentialsOptions} checked, with defaults filled in. */
export interface ResolvedExtractOptions {
  readonly apiKeyHeader: string;
  readonly maxLength: number;
  /** The accepted schemes, lower-cased. */
  readonly authSchemes: ReadonlySet<string>;
}

/** The default `Authorization` schemes: only `Bearer`. */
export const DEFAULT_AUTH_SCHEMES: readonly string[] = Object.freeze(['Bearer']);

const BEARER_ONLY: ReadonlySet<string> = new Set(['bearer']);
const MAX_AUTH_SCHEMES = 8;

// RFC 6750 b64token; our keys ([A-Za-z0-9_]) and JWTs ([A-Za-z0-9_-.]) fit in it.
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// RFC 9110 auth-scheme (a token), then one or more spaces and the rest.
const AUTHORIZATION = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?: +(.*))?$/s;
const SCHEME_NAME = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,31}$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

const NONE: ExtractedCredential = Object.freeze({ kind: 'none' });

/**
 * Checks and lower-cases an API key header name.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` when it is not an HTTP header name, or is `authorization`.
 */
export function normalizeApiKeyHeader(name: string = DEFAULT_API_KEY_HEADER): string {
  const lower = typeof name === 'string' ? name.toLowerCase() : '';
  if (!HEADER_NAME.test(lower) || lower === 'authorization') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'apiKeyHeader must be an HTTP header name other than "authorization".');
  }
  return lower;
}

function reject(reason: CredentialRejectReason): ExtractedCredential {
  return { kind: 'rejected', reason };
}

function isHeadersLike(headers: HeaderRecord | HeadersLike): headers is HeadersLike {
  return typeof (headers as Partial<HeadersLike>).get === 'function';
}

/** Whether header `name` (lower case) was sent more than once. */
function isDuplicated(request: CredentialRequest, name: string): boolean {
  const raw = request.rawHeaders;
  if (Array.isArray(raw)) {
    let seen = 0;
    for (let index = 0; index < raw.length; index += 2) {
      const header = raw[index];
      if (typeof header === 'string' && header.length === name.length && header.toLowerCase() === name && ++seen > 1) return true;
    }
    return false;
  }
  const distinct = request.headersDistinct?.[name];
  return Array.isArray(distinct) && distinct.length > 1;
}

/** Reads one header: its single value, `undefined` when absent, or a rejection. */
/**
 * One header's value: `undefined` when absent, the value when it is one
 * non-empty string of at most `maxLength` characters, else the rejection
 * (duplicated, not a string, too long, empty).
 */
export function readHeader(request: CredentialRequest, name: string, maxLength: number): string | undefined | ExtractedCredential {
  const headers = request.headers;
  let value: unknown = isHeadersLike(headers) ? headers.get(name) : headers[name];
  if (Array.isArray(value)) {
    if (value.length > 1) return reject('duplicate-header');
    value = value[0];
  }
  if (value === undefined || value === null) return undefined;
  // Node keeps only the first of duplicated Authorization headers in `headers`;
  // the raw headers (or `headersDistinct`) show them all. Only looked at when present.
  if (isDuplicated(request, name)) return reject('duplicate-header');
  if (typeof value !== 'string') return reject('invalid-type');
  if (value.length > maxLength) return reject('too-long');
  if (value.length === 0) return reject('empty');
  return value;
}

/**
 * Checks and lower-cases the accepted `Authorization` schemes.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` unless it is a
 *   non-empty array of at most 8 auth-scheme tokens (RFC 9110, at most 32 characters).
 */
export function normalizeAuthSchemes(schemes: readonly string[] = DEFAULT_AUTH_SCHEMES): ReadonlySet<string> {
  const valid =
    Array.isArray(schemes) &&
    schemes.length > 0 &&
    schemes.length <= MAX_AUTH_SCHEMES &&
    schemes.every((scheme: unknown) => typeof scheme === 'string' && SCHEME_NAME.test(scheme));
  if (!valid) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `authSchemes must be a list of 1–${MAX_AUTH_SCHEMES} HTTP auth schemes such as "Bearer" or "Api-Key".`, {
      details: { option: 'authSchemes' },
    });
  }
  return new Set(schemes.map((scheme) => scheme.toLowerCase()));
}

function parseAuthorization(value: string, authSchemes: ReadonlySet<string>): ExtractedCredential {
  const parsed = AUTHORIZATION.exec(value);
  if (parsed === null) return reject('invalid-characters');
  if (!authSchemes.has((parsed[1] ?? '').toLowerCase())) return reject('unsupported-scheme');
  const token = parsed[2];
  if (token === undefined || token.length === 0) return reject('empty');
  return TOKEN.test(token) ? { kind: 'credential', source: 'bearer', value: token } : reject('invalid-characters');
}

/**
 * Reads the credential of a request: `Authorization: Bearer <token>` (or
 * another of `authSchemes`) or `<apiKeyHeader>: <key>`. Touches no store and costs microseconds.
 *
 * Fails closed: a present but unusable header (empty, too long, sent twice,
 * another scheme, odd characters) is a rejection, never "no credentials";
 * so are both headers at once, even with the same value. Each value is
 * length-checked before anything else looks at it.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad `apiKeyHeader`, `maxLength` or `authSchemes`.
 * @example
 * ```ts
 * const found = extractCredentials(req);
 * if (found.kind === 'rejected') throw unauthenticatedError('Invalid credentials.');
 * ```
 */
export function extractCredentials(request: CredentialRequest, options: ExtractCredentialsOptions = {}): ExtractedCredential {
  const { apiKeyHeader, maxLength, authSchemes } = resolveExtractOptions(options);
  return readCredentials(request, apiKeyHeader, maxLength, authSchemes);
}

/**
 * Checks {@link ExtractCredentialsOptions} once and fills in the defaults, so
 * that per-request callers can use {@link readCredentials}.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad `apiKeyHeader`, `maxLength` or `authSchemes`.
 */
export function resolveExtractOptions(options: ExtractCredentialsOptions = {}): ResolvedExtractOptions {
  const apiKeyHeader = normalizeApiKeyHeader(options.apiKeyHeader);
  const maxLength = options.maxLength ?? DEFAULT_MAX_CREDENTIAL_LENGTH;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'maxLength must be a positive integer (characters).');
  }
  const authSchemes = options.authSchemes === undefined ? BEARER_ONLY : normalizeAuthSchemes(options.authSchemes);
  return { apiKeyHeader, maxLength, authSchemes };
}

/**
 * {@link extractCredentials} with options already checked by
 * {@link resolveExtractOptions}: the per-request path.
 */
export function readCredentials(
  request: CredentialRequest,
  apiKeyHeader: string,
  maxLength: number,
  authSchemes: ReadonlySet<string> = BEARER_ONLY,
): ExtractedCredential {
  const headers: unknown = request?.headers;
  if (typeof headers !== 'object' || headers === null) return NONE;

  const authorization = readHeader(request, 'authorization', maxLength);
  if (typeof authorization === 'object') return authorization;
  const apiKey = readHeader(request, apiKeyHeader, maxLength);
  if (typeof apiKey === 'object') return apiKey;

  if (authorization !== undefined && apiKey !== undefined) return reject('conflicting-credentials');
  if (authorization !== undefined) return parseAuthorization(authorization, authSchemes);
  if (apiKey !== undefined) return TOKEN.test(apiKey) ? { kind: 'credential', source: 'apiKeyHeader', value: apiKey } : reject('invalid-characters');
  return NONE;
}

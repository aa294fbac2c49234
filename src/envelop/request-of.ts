import type { CredentialRequest } from '../auth/extract-credentials';

const NO_HEADERS: CredentialRequest = Object.freeze({ headers: Object.freeze({}) });

function isRequest(value: unknown): value is CredentialRequest {
  const headers = (value as { headers?: unknown } | null | undefined)?.headers;
  return headers !== null && typeof headers === 'object';
}

/**
 * The request whose headers carry the credential, from an Envelop initial
 * context: the Fetch `Request` (`request`: Yoga, Hive Gateway, any
 * WHATWG server), else a Node request (`req`: Node adapters, and Yoga's
 * graphql-ws recipe, which passes the upgrade request as `req`). Without
 * either there is no credential to read, so the caller is anonymous: it
 * gets nothing a scope protects.
 */
export function requestOf(initialContext: Readonly<Record<string, unknown>>): CredentialRequest {
  const { request, req } = initialContext;
  if (isRequest(request)) return request;
  if (isRequest(req)) return req;
  return NO_HEADERS;
}

// `scheme://user:password@host` → `scheme://***@host`, for connection strings
// a driver may echo in its messages.
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

/**
 * Replaces every occurrence of each secret (a connection string, a password)
 * with `***`, and masks the credentials of any URL in the text.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret !== '') result = result.split(secret).join('***');
  return result.replace(URL_CREDENTIALS, '$1***@');
}

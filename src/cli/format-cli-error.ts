import { GraphQLError } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { redact } from './redact';

/** The `DEBUG` namespace that makes the CLI print stack traces of unexpected errors. */
export const DEBUG_NAMESPACE = 'graphql-scoped-permissions';

/** Options of {@link formatCliError}. */
export interface FormatCliErrorOptions {
  /** Append the stack trace of an unexpected error. Default `false`. */
  readonly debug?: boolean;
  /** Strings to replace with `***` wherever they appear (a connection string). */
  readonly redact?: readonly string[];
}

/**
 * Whether `DEBUG` enables {@link DEBUG_NAMESPACE}, with the `debug` package's
 * syntax: a comma- or space-separated list in which `*` is a wildcard.
 */
export function isDebugEnabled(debug: string | undefined): boolean {
  return (debug ?? '')
    .split(/[\s,]+/)
    .filter((pattern) => pattern !== '' && !pattern.startsWith('-'))
    .some((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(DEBUG_NAMESPACE));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * The stderr text for an error that ended a command: always one line, never
 * a stack trace for an expected error.
 *
 * - `ScopedPermissionsError`: `error ERR_SCHEMA_LOAD: <message>`.
 * - `GraphQLError`: `error: <message>`.
 * - Anything else is unexpected: `error: unexpected <Name>: <message>`, with
 *   a hint to set `DEBUG=graphql-scoped-permissions`; with `debug`, the
 *   stack trace follows on the next lines.
 *
 * Every line passes through the redaction in `options.redact`, and URL
 * credentials are masked.
 */
export function formatCliError(error: unknown, options: FormatCliErrorOptions = {}): string {
  const secrets = options.redact ?? [];
  if (error instanceof ScopedPermissionsError) return `${redact(`error ${error.code}: ${oneLine(error.message)}`, secrets)}\n`;
  if (error instanceof GraphQLError) return `${redact(`error: ${oneLine(error.message)}`, secrets)}\n`;
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const line = `error: unexpected ${name}: ${oneLine(message)} (set DEBUG=${DEBUG_NAMESPACE} for the stack trace)`;
  const stack = options.debug === true && error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : '';
  return redact(`${line}\n${stack}`, secrets);
}

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { formatScopes } from '../scopes/format-scopes';
import { formatScopesModule } from '../scopes/format-scopes-module';
import type { CommandResult } from './cli-io';
import { printSubgraphSchemaWithScopes } from '../federation/print-subgraph-schema-with-scopes';
import { loadCatalog } from './load-catalog';
import { loadSchema } from './load-schema';
import { loadOperations } from './load-operations';
import { loadScopedSchema } from './load-scoped-schema';
import { formatOperationScopes, operationScopes, type OperationScopes } from './operation-scopes';

/** Options of {@link scopesCommand}. */
export interface ScopesCommandOptions {
  /** Schema files or globs (SDL), or one JavaScript module exporting a schema. */
  readonly schema: readonly string[];
  /** Print the catalogue, with schema coordinates, as JSON. Default `false`. */
  readonly json?: boolean;
  /** The directive's name, without `@`. Default `'scope'`. */
  readonly directive?: string;
  /** The directory that relative paths and globs are resolved against. */
  readonly cwd: string;
  /**
   * Client operation files or globs (`.graphql`, `.gql`): print the minimal
   * scope set they need instead of the catalogue. Default: none.
   */
  readonly operations?: readonly string[];
  /**
   * Print the subgraph's SDL for composition instead, each requirement also
   * as `@requiresScopes` (see `printSubgraphSchemaWithScopes`); the files are
   * read as subgraph SDL. Dynamic requirements go to stderr. Default `false`.
   */
  readonly federation?: boolean;
  /**
   * `'ts'`: print a TypeScript module of typed scope names instead
   * (`formatScopesModule`: `type Scope`, the wildcard forms, `const scopes`).
   * Default: the drf-scoped-permissions style text.
   */
  readonly format?: 'text' | 'ts';
  /**
   * With `format: 'ts'`: instead of printing the module, compare it with
   * this file (relative to `cwd`) and throw `ERR_STALE_FILE` when it differs
   * or is missing, for CI. Default: none.
   */
  readonly check?: string;
}

/** Options of {@link scopesForOperations}. */
export interface ScopesForOperationsOptions {
  /** Schema files or globs (SDL), or one JavaScript module exporting a schema. */
  readonly schema: readonly string[];
  /** Client operation files or globs (`.graphql`, `.gql`). */
  readonly operations: readonly string[];
  /** The directive's name, without `@`. Default `'scope'`. */
  readonly directive?: string;
  /** The directory that relative paths and globs are resolved against. */
  readonly cwd: string;
}

/**
 * The least-privilege scope set of a client's operations, and for each
 * scope the operations and paths that need it. Every variable is taken as
 * unknown, so a field under `@skip`/`@include` on a variable counts as
 * selected: the set runs the operations whatever their variables.
 *
 * @throws {@link ScopedPermissionsError} `ERR_SCHEMA_LOAD`, `ERR_NO_SCOPES`,
 *   the directive errors, and `ERR_INVALID_OPERATION` (see `loadOperations`).
 */
export async function scopesForOperations(options: ScopesForOperationsOptions): Promise<OperationScopes> {
  const schema = await loadScopedSchema(options.schema, { cwd: options.cwd, directiveName: options.directive });
  return operationScopes(schema, await loadOperations(options.operations, schema, options.cwd));
}

/**
 * `graphql-scoped-permissions scopes <schema...>`: lists every scope the
 * schema uses, grouped by resource, as drf-scoped-permissions' `manage.py list_scopes`
 * does (`formatScopes`, with its `Total:` line), or as JSON with the coordinates that require each
 * scope. With `operations`, prints instead the least-privilege scope set
 * of those client operations (see {@link scopesForOperations}); with
 * `federation`, the subgraph SDL with `@requiresScopes` for composition.
 *
 * @example
 * ```ts
 * const { stdout } = await scopesCommand({ schema: ['schema/*.graphql'], cwd: process.cwd() });
 * ```
 * With `format: 'ts'`, prints a TypeScript module of typed scope names
 * instead, or (`check`) compares it with the file on disk.
 *
 * @throws {@link ScopedPermissionsError} `ERR_SCHEMA_LOAD`, `ERR_NO_SCOPES`
 *   and the directive errors (see `loadCatalog`); with `federation`,
 *   `ERR_INVALID_OPTIONS` for SDL without a Federation 2 `@link`;
 *   `ERR_STALE_FILE` when the `check` file is missing or differs;
 *   `ERR_INVALID_OPTIONS` for `format: 'ts'` with `federation` or `operations`,
 *   and for `check` without `format: 'ts'`.
 */
export async function scopesCommand(options: ScopesCommandOptions): Promise<CommandResult> {
  // `check` compares the module: without `format: 'ts'` it would print the usual report and check nothing.
  if (options.check !== undefined && options.format !== 'ts') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', '--check needs --format ts.', { details: { option: 'check' } });
  }
  // Each of these prints another report: with `format: 'ts'` (and `check`) the module would silently go unprinted, or unchecked.
  if (options.format === 'ts' && (options.federation === true || options.operations !== undefined)) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `--format ts prints the scopes of the schema; it cannot be combined with --${options.federation === true ? 'federation' : 'operations'}.`, {
      details: { option: 'format' },
    });
  }
  if (options.federation === true) {
    const schema = await loadSchema(options.schema, { cwd: options.cwd, directiveName: options.directive, subgraph: true });
    const warnings: string[] = [];
    const stdout = printSubgraphSchemaWithScopes(schema, { directiveName: options.directive, onWarning: (warning) => warnings.push(`Warning: ${warning.message}\n`) });
    return { stdout, stderr: warnings.join('') };
  }
  if (options.operations !== undefined) {
    const result = await scopesForOperations({ ...options, operations: options.operations });
    return { stdout: options.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatOperationScopes(result), stderr: '' };
  }
  const catalog = await loadCatalog(options.schema, { cwd: options.cwd, directiveName: options.directive });
  if (options.format === 'ts') {
    const module = formatScopesModule(catalog);
    if (options.check === undefined) return { stdout: module, stderr: '' };
    const path = resolve(options.cwd, options.check);
    // Line endings aside: a checkout with git's core.autocrlf turns them into CRLF.
    const onDisk = await readFile(path, 'utf8').then((text) => text.replace(/\r\n/g, '\n'), () => undefined);
    if (onDisk !== module) {
      throw new ScopedPermissionsError(
        'ERR_STALE_FILE',
        `${options.check} is ${onDisk === undefined ? 'missing' : 'stale'}: regenerate it with \`graphql-scoped-permissions scopes <schema> --format ts > ${options.check}\`.`,
        { details: { file: options.check } },
      );
    }
    return { stdout: '', stderr: `${options.check} is up to date.\n` };
  }
  const stdout = options.json === true ? `${JSON.stringify(catalog, null, 2)}\n` : formatScopes(catalog);
  return { stdout, stderr: '' };
}

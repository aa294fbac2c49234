import { writeFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { parseRate } from '../rate-limit/parse-rate';
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../package.json';
import { IMPORT_FORMATS } from '../store/import/import-api-keys';
import { assertAuditListOptions } from '../store/audit/audit-input';
import type { AuditTarget } from '../store/audit/audit-entry';
import type { ScopeStore } from '../store/scope-store';
import { actingAs, cliActor } from './acting-store';
import { auditCommand } from './audit-command';
import type { CliIo, CommandResult } from './cli-io';
import { formatCliError, isDebugEnabled } from './format-cli-error';
import { groupsAddUserCommand, groupsListCommand, groupsSetCommand } from './groups-commands';
import { keysExportCommand, keysImportCommand, parseImportFormat } from './keys-import-commands';
import { readImportFile } from './read-import-file';
import { keyIdFromReference, keysCreateCommand, keysListCommand, keysRevokeCommand, keysRotateCommand } from './keys-commands';
import { loadCatalog } from './load-catalog';
import { mongoUriSecrets, resolveMongoUri } from './mongo-uri';
import { openMongoStore } from './open-mongo-store';
import { parseExpiry, parseGracePeriod, parseSince } from './parse-duration';
import { redact } from './redact';
import { scopesCommand, scopesForOperations } from './scopes-command';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { OpenStore } from './store-handle';

/** What the program needs besides {@link CliIo}; tests swap the store. */
export interface CliDependencies {
  /** Default `openMongoStore` (Mongoose, 5 s server selection timeout). */
  readonly openStore?: OpenStore;
  /** The actor the audit history records for the CLI's writes. Default `cli:<OS user>` (see `cliActor`). */
  readonly actor?: string;
}

interface MongoOptions {
  readonly mongoUri?: string;
}

interface SchemaOptions {
  readonly schema?: string[];
  readonly directive: string;
}

const SCHEMA_ARGUMENT = 'SDL files or globs (.graphql, .gql), or one JS module (.js, .mjs, .cjs) exporting a GraphQLSchema';

/** Collects a repeatable `--scope`, also splitting `a,b`. */
function collectGrants(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((grant) => grant.trim()).filter((grant) => grant !== '')];
}

/**
 * The grants of `keys create`: `--scope`, or exactly what `--for-operations`
 * needs against `--schema`. Never empty: a key without scopes would be an
 * unrestricted legacy key.
 */
async function grantsToCreate(options: SchemaOptions & { scope?: string[]; forOperations?: string[]; allowDynamic?: boolean }, cwd: string): Promise<string[]> {
  if (options.forOperations === undefined) {
    if (options.scope === undefined) {
      throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'Pass --scope, or --for-operations with --schema.', { details: { option: 'scope' } });
    }
    return options.scope;
  }
  if (options.scope !== undefined) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'Pass --scope or --for-operations, not both: --for-operations grants exactly what the operations need.', {
      details: { option: 'for-operations' },
    });
  }
  if (options.schema === undefined) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', '--for-operations needs --schema, to know what each field requires.', { details: { option: 'schema' } });
  }
  const { scopes, dynamic } = await scopesForOperations({ schema: options.schema, operations: options.forOperations, directive: options.directive, cwd });
  if (dynamic.length > 0 && options.allowDynamic !== true) {
    throw new ScopedPermissionsError(
      'ERR_INVALID_OPERATION',
      `A dynamic requiredScope decides what these operations need from their variables (${dynamic.map((use) => `${use.operation}: ${use.coordinates.join(', ')}`).join('; ')}), so --for-operations cannot know a least privilege that runs them; pass --allow-dynamic to grant the directive's scopes anyway, or --scope.`,
      { details: { option: 'for-operations' } },
    );
  }
  if (scopes.length === 0) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'The operations need no scope, and a key without scopes would be unrestricted: none was created.', {
      details: { option: 'for-operations' },
    });
  }
  return [...scopes];
}

function addMongoOption(command: Command): Command {
  return command.option('--mongo-uri <uri>', 'MongoDB connection string (default: $MONGODB_URI, which keeps it out of the process list)');
}

function addSchemaOptions(command: Command): Command {
  return command
    .option('--schema <files...>', `check the scopes against the schema: ${SCHEMA_ARGUMENT}`)
    .option('--directive <name>', 'the directive name, without @', 'scope');
}

/**
 * Builds the `graphql-scoped-permissions` program. Output goes to `io`,
 * never to `process`; the program never exits the process: commander's
 * usage errors are thrown as `CommanderError` (see {@link runCli}).
 *
 * @param redactions - Receives the secrets (connection strings) the
 *   commands handled, so that error messages can hide them.
 */
export function createProgram(io: CliIo, dependencies: CliDependencies = {}, redactions: string[] = []): Command {
  const openStore = dependencies.openStore ?? openMongoStore;
  const actor = dependencies.actor ?? cliActor();
  const print = (result: CommandResult) => {
    io.stdout.write(result.stdout);
    if (result.stderr !== '') io.stderr.write(result.stderr);
  };
  const withStore = async (options: MongoOptions, run: (store: ScopeStore) => Promise<CommandResult>): Promise<void> => {
    const uri = resolveMongoUri(options.mongoUri, io.env);
    redactions.push(...mongoUriSecrets(uri));
    const handle = await openStore(uri);
    try {
      // Printed before closing, so that a new key is never lost to a failing close.
      print(await run(actingAs(handle.store, actor)));
    } catch (error) {
      await handle.close().catch(() => undefined); // the command's own error is the one to report
      throw error;
    }
    await handle.close();
  };
  const catalogOf = (options: SchemaOptions) =>
    options.schema === undefined ? Promise.resolve(undefined) : loadCatalog(options.schema, { cwd: io.cwd, directiveName: options.directive });

  const program = new Command('graphql-scoped-permissions')
    .description('Resource-scoped permissions for GraphQL: list a schema\'s scopes, manage API keys and user groups.')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander echoes a mistyped option with its value: mask URL credentials in it.
      outputError: (text, write) => write(redact(text, [])),
    })
    .showSuggestionAfterError();

  program
    .command('scopes')
    .description('List the scopes a schema uses, grouped by resource.')
    .argument('<schema...>', SCHEMA_ARGUMENT)
    .option('--json', 'print the catalogue, with the schema coordinates of each scope, as JSON')
    .option('--directive <name>', 'the directive name, without @', 'scope')
    .option('--operations <globs...>', 'client operation files or globs (.graphql, .gql): print the least-privilege scopes they need, and where')
    .option('--federation', 'print the subgraph SDL for composition, each requirement also as @requiresScopes for the gateway')
    .addOption(new Option('--format <format>', 'text (drf-scoped-permissions style) or ts (a module of typed scope names)').choices(['text', 'ts']).default('text'))
    .option('--check <file>', 'with --format ts: fail (exit 1) when <file> is not what the schema gives, instead of printing')
    .action(async (schema: string[], options: { json?: boolean; directive: string; operations?: string[]; federation?: boolean; format: 'text' | 'ts'; check?: string }) => {
      print(
        await scopesCommand({
          schema,
          json: options.json === true,
          federation: options.federation === true,
          directive: options.directive,
          cwd: io.cwd,
          format: options.format,
          ...(options.check === undefined ? {} : { check: options.check }),
          ...(options.operations === undefined ? {} : { operations: options.operations }),
        }),
      );
    });

  const keys = program.command('keys').description('Create, list, rotate, revoke, import and export API keys.');
  addSchemaOptions(
    addMongoOption(
      keys
        .command('create')
        .description('Create an API key and print it once.')
        .requiredOption('--name <name>', 'a name for the key, for example the service that uses it')
        .option('--scope <grant>', 'a granted scope (repeatable, or comma-separated): posts.read, posts.*, *', collectGrants)
        .option('--for-operations <globs...>', 'grant exactly the scopes these client operations need (with --schema), instead of --scope')
        .option('--allow-dynamic', 'with --for-operations: grant the directive\'s scopes even where a dynamic requiredScope decides from variables')
        .option('--expires <when>', 'expiry: 90d, 12h, 30m, or an ISO date (2026-01-31, 2026-01-31T12:00:00Z)')
        .option('--owner <userId>', 'the user who owns the key (with ownerScopes "intersect", it never exceeds their group scopes)')
        .option('--rate-limit <rate>', 'the key\'s own rate limit for every request: 1000/hour, 10/minute, 5/s (units s, m, h, d, or second, minute, hour, day)'),
    ),
  ).action(async (options: MongoOptions & SchemaOptions & { name: string; scope?: string[]; forOperations?: string[]; expires?: string; owner?: string; rateLimit?: string }) => {
    // Everything that can be checked without the database is checked first.
    const expiresAt = options.expires === undefined ? null : parseExpiry(options.expires, new Date());
    if (options.rateLimit !== undefined) parseRate(options.rateLimit);
    const scopes = await grantsToCreate(options, io.cwd);
    const catalog = options.forOperations === undefined ? await catalogOf(options) : undefined;
    await withStore(options, (store) =>
      keysCreateCommand(store, {
        name: options.name,
        scopes,
        expiresAt,
        ...(options.owner === undefined ? {} : { ownerId: options.owner }),
        ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
        ...(catalog === undefined ? {} : { catalog }),
      }),
    );
  });
  addMongoOption(keys.command('list').description('List API keys (ids masked, never secrets).')).action(async (options: MongoOptions) => {
    await withStore(options, keysListCommand);
  });
  addMongoOption(
    keys.command('revoke').description('Revoke an API key.').argument('<id>', 'the key id, as "keys list" shows it'),
  ).action(async (reference: string, options: MongoOptions) => {
    const id = keyIdFromReference(reference);
    await withStore(options, (store) => keysRevokeCommand(store, id));
  });

  addMongoOption(
    keys
      .command('rotate')
      .description('Replace an API key with a new one (same name, scopes and owner) and print it once; the old key works for the grace period.')
      .argument('<id>', 'the key id, as "keys list" shows it')
      .requiredOption('--grace <duration>', 'how long the old key keeps working: 0, 30m, 24h, 7d (at most 365d)'),
  ).action(async (reference: string, options: MongoOptions & { grace: string }) => {
    const id = keyIdFromReference(reference);
    const gracePeriodMs = parseGracePeriod(options.grace);
    await withStore(options, (store) => keysRotateCommand(store, id, gracePeriodMs));
  });

  addMongoOption(
    keys
      .command('import')
      .description('Import API keys with their hashes (djangorestframework-api-key / drf-scoped-permissions rows, or "keys export" lines), so their clients keep working.')
      .argument('<file>', 'one JSON object per line')
      .option('--format <format>', `${IMPORT_FORMATS.join(' or ')}`, 'drf-api-key')
      .option('--dry-run', 'report what would be imported, write nothing'),
  ).action(async (file: string, options: MongoOptions & { format: string; dryRun?: boolean }) => {
    const format = parseImportFormat(options.format);
    const text = await readImportFile(resolvePath(io.cwd, file));
    await withStore(options, (store) => keysImportCommand(store, text, { format, dryRun: options.dryRun === true }));
  });
  addMongoOption(
    keys
      .command('export')
      .description('Write every API key with its hash to a new file (readable by you only), for "keys import --format json".')
      .requiredOption('--out <file>', 'the file to create (never overwritten)'),
  ).action(async (options: MongoOptions & { out: string }) => {
    const out = resolvePath(io.cwd, options.out);
    await withStore(options, async (store) => {
      const { text, count } = await keysExportCommand(store);
      await writeFile(out, text, { flag: 'wx', mode: 0o600 });
      return { stdout: '', stderr: `Wrote ${count} key${count === 1 ? '' : 's'} to ${out}. The file holds key hashes: keep it as private as the database.\n` };
    });
  });

  const groups = program.command('groups').description('Manage user groups and their scopes.');
  addSchemaOptions(
    addMongoOption(
      groups
        .command('set')
        .description('Create a group, or replace its scopes (members are kept).')
        .argument('<name>', 'the group name')
        .requiredOption('--scope <grant>', 'a granted scope (repeatable, or comma-separated)', collectGrants),
    ),
  ).action(async (name: string, options: MongoOptions & SchemaOptions & { scope: string[] }) => {
    const catalog = await catalogOf(options);
    await withStore(options, (store) => groupsSetCommand(store, { name, scopes: options.scope, ...(catalog === undefined ? {} : { catalog }) }));
  });
  addMongoOption(
    groups.command('add-user').description('Add a user to a group.').argument('<name>', 'the group name').argument('<userId>', 'the user id'),
  ).action(async (name: string, userId: string, options: MongoOptions) => {
    await withStore(options, (store) => groupsAddUserCommand(store, name, userId));
  });
  addMongoOption(groups.command('list').description('List groups, their scopes and members.')).action(async (options: MongoOptions) => {
    await withStore(options, groupsListCommand);
  });

  addMongoOption(
    program
      .command('audit')
      .description('Show the audit history (who changed which key or group, when, and what), newest first. Never shows a secret or a hash.')
      .option('--key <id>', 'only the entries of this key (as "keys list" shows it), including the rotation that made it')
      .option('--group <name>', 'only the entries of this group')
      .option('--actor <id>', 'only the entries of this actor: apiKey:<id> (an admin), cli:<user>, system')
      .option('--since <when>', 'only the entries since then: 7d, 12h, 30m, or an ISO date (2026-01-31)')
      .option('--limit <n>', 'the most entries shown, 1 to 1000', '50')
      .option('--json', 'print one JSON object per line'),
  ).action(async (options: MongoOptions & { key?: string; group?: string; actor?: string; since?: string; limit: string; json?: boolean }) => {
    // Every filter is checked before the database is opened.
    if (options.key !== undefined && options.group !== undefined) {
      throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'Pass --key or --group, not both.', { details: { option: 'group' } });
    }
    if (!/^\d{1,4}$/.test(options.limit)) throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', '--limit is a whole number from 1 to 1000.', { details: { option: 'limit' } });
    const target: AuditTarget | undefined =
      options.key !== undefined ? { type: 'apiKey', id: keyIdFromReference(options.key) } : options.group !== undefined ? { type: 'group', name: options.group } : undefined;
    const query = {
      limit: Number(options.limit),
      ...(options.actor === undefined ? {} : { actor: options.actor }),
      ...(target === undefined ? {} : { target }),
      ...(options.since === undefined ? {} : { since: parseSince(options.since, new Date()) }),
    };
    assertAuditListOptions(query, () => false);
    await withStore(options, (store) => auditCommand(store, { ...query, json: options.json === true }));
  });

  return program;
}

/**
 * Runs the CLI on `argv` (the user's arguments, without `node` and the
 * script) and returns the exit code: 0 on success, 1 on failure (commander's
 * own code for usage errors, 0 for `--help` and `--version`). Every failure
 * is reported on `io.stderr` in one line (see `formatCliError`); the stack
 * of an unexpected error follows only when `DEBUG=graphql-scoped-permissions`.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo, dependencies: CliDependencies = {}): Promise<number> {
  const redactions: string[] = [];
  try {
    await createProgram(io, dependencies, redactions).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has printed its own one-line message already.
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(formatCliError(error, { debug: isDebugEnabled(io.env.DEBUG), redact: redactions }));
    return 1;
  }
}

/** Somewhere the CLI writes text: `process.stdout`, or a buffer in tests. */
export interface CliOutput {
  write(text: string): unknown;
}

/**
 * The process state the CLI reads and writes, injected so that tests can run
 * the whole program in-process.
 */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Environment variables: `MONGODB_URI`, `DEBUG`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths and globs are resolved against. */
  readonly cwd: string;
}

/**
 * What a command handler returns on success. Handlers never write to the
 * process or exit: the program layer prints `stdout` and `stderr` and sets
 * the exit code (0). Failures are thrown as `ScopedPermissionsError`.
 */
export interface CommandResult {
  /** The command's output, ending with a newline. */
  readonly stdout: string;
  /** Notes for the human (warnings, confirmations), ending with a newline; `''` for none. */
  readonly stderr: string;
}

import { resolve } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io';
import { type CliDependencies, runCli } from '../../src/cli/program';

/** The repository root: relative paths in CLI tests resolve against it. */
export const REPO_ROOT = resolve(__dirname, '../..');

/** The CLI fixtures directory. */
export const CLI_FIXTURES = resolve(REPO_ROOT, 'test/fixtures/cli');

/** What a whole-program run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCliInProcess}. */
export interface RunCliInProcessOptions extends CliDependencies {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default {@link REPO_ROOT}. */
  readonly cwd?: string;
}

/** Runs the whole program in-process with buffered output. */
export async function runCliInProcess(argv: readonly string[], options: RunCliInProcessOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
    cwd: options.cwd ?? REPO_ROOT,
  };
  const code = await runCli(argv, io, options);
  return { code, stdout, stderr };
}

/** The lines of `text`, without the final empty one. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line, index, all) => !(line === '' && index === all.length - 1));
}

/** Command-line flags shared by every benchmark script. */
export interface BenchFlags {
  /** `--quick`: a few seconds per script, for smoke checks only. Default `false`. */
  readonly quick: boolean;
  /**
   * `--baseline=<dir>`: a checkout of this package at another commit (with
   * `node_modules` linked into it), whose code a script times next to the
   * current code, where it supports that (`execution-overhead.ts`: the
   * `checkOperation` section). Default: none.
   */
  readonly baseline: string | undefined;
}

/** Reads the shared flags from `argv` (default `process.argv.slice(2)`). */
export function readBenchFlags(argv: readonly string[] = process.argv.slice(2)): BenchFlags {
  const baseline = argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length);
  return { quick: argv.includes('--quick'), baseline: baseline === '' ? undefined : baseline };
}

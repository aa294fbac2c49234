/** Command-line flags shared by every benchmark script. */
export interface BenchFlags {
  /** `--quick`: a few seconds per script, for smoke checks only. Default `false`. */
  readonly quick: boolean;
}

/** Reads the shared flags from `argv` (default `process.argv.slice(2)`). */
export function readBenchFlags(argv: readonly string[] = process.argv.slice(2)): BenchFlags {
  return { quick: argv.includes('--quick') };
}

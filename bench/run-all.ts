/**
 * Runs every benchmark script in `bench/`, one after another, each in its own
 * Node process with `--expose-gc`, and prints one combined JSON line last.
 *
 * `npm run bench` runs all; `npm run bench -- --quick` runs short smoke
 * versions; `npm run bench -- execution-overhead` runs the named scripts only;
 * `--baseline=<dir>` is passed on to the scripts (see `BenchFlags`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readBenchFlags } from './lib/bench-flags';
import { printResultLine } from './lib/report';

/** The benchmark scripts, in the order they run. Scripts not written yet are reported as missing. */
const SCRIPTS = ['execution-overhead', 'cold-document', 'yoga-overhead', 'http-auth', 'context-cost', 'cold-keys', 'cross-process-revocation', 'watcher-soak', 'hardening-cost', 'admin-list', 'activity-list', 'operation-bound', 'rate-limits', 'federation'] as const;

interface ScriptOutcome {
  readonly exitCode: number | null;
  /** The script's final stdout line, parsed; undefined when it was not JSON. */
  readonly result: unknown;
}

function lastJsonLine(stdout: string): unknown {
  const lines = stdout.trimEnd().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1] ?? '');
  } catch {
    return undefined;
  }
}

function runScript(path: string, args: readonly string[]): Promise<ScriptOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, result: lastJsonLine(stdout) }));
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { quick, baseline } = readBenchFlags(argv);
  const selected = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = selected.filter((name) => !(SCRIPTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${SCRIPTS.join(', ')}`);

  const results: Record<string, unknown> = {};
  const missing: string[] = [];
  const failed: string[] = [];
  for (const name of SCRIPTS) {
    if (selected.length > 0 && !selected.includes(name)) continue;
    const path = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
    if (!existsSync(path)) {
      missing.push(name);
      continue;
    }
    console.log(`\n=== ${name}${quick ? ' --quick' : ''} ===`);
    const outcome = await runScript(path, [...(quick ? ['--quick'] : []), ...(baseline === undefined ? [] : [`--baseline=${baseline}`])]);
    results[name] = outcome.result ?? null;
    if (outcome.exitCode !== 0 || outcome.result === undefined) failed.push(name);
  }
  if (missing.length > 0) console.log(`\nnot run (script missing): ${missing.join(', ')}`);
  if (failed.length > 0) {
    console.log(`FAILED: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
  printResultLine({ bench: 'all', quick, results, missing, failed });
}

await main();

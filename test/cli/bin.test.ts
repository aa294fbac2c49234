import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scopesCommand } from '../../src/cli/scopes-command';
import { REPO_ROOT, linesOf } from './run-cli-in-process';

const BIN = resolve(REPO_ROOT, 'dist/cli/bin.cjs');

/** Runs a command without a shell, so globs reach the CLI unexpanded. */
function run(command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, DEBUG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built bin (dist/cli/bin.cjs)', () => {
  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (CI builds it through npm ci's prepare script).`);
  });

  it('is what package.json declares as the graphql-scoped-permissions command', () => {
    const packageJson = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    expect(resolve(REPO_ROOT, packageJson.bin?.['graphql-scoped-permissions'] ?? '')).toBe(BIN);
  });

  it('runs through its shebang and prints the scopes of a globbed schema', async () => {
    const expected = await scopesCommand({ schema: ['test/fixtures/cli/blog/*'], cwd: REPO_ROOT });
    const result = run(BIN, ['scopes', 'test/fixtures/cli/blog/*']);
    expect(result).toEqual({ status: 0, stdout: expected.stdout, stderr: '' });
    expect(result.stdout).toMatch(/^Available API Scopes:\n\ncomments:\n/);
  });

  it('imports an ES module schema with a real dynamic import()', () => {
    const result = run(process.execPath, [BIN, 'scopes', 'test/fixtures/cli/module/schema.mjs']);
    expect(result).toEqual({
      status: 0,
      stdout: 'Available API Scopes:\n\nreports:\n  - reports.read\n  - reports.write\n  - reports.delete\n  - reports.export\n\nTotal: 1 resource, 4 scopes\n',
      stderr: '',
    });
  });

  it('exits 1 with one stderr line and no stack trace on an expected error', () => {
    const result = run(process.execPath, [BIN, 'scopes', 'test/fixtures/cli/broken/broken.graphql']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(linesOf(result.stderr)).toEqual([expect.stringMatching(/^error ERR_SCHEMA_LOAD: test\/fixtures\/cli\/broken\/broken\.graphql:3:1: Syntax Error/)]);
  });
});

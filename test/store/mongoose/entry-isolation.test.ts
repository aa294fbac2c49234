import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

/** Every module specifier `src/index.ts` reaches through relative imports, and the files it passes through. */
function reachable(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const pending = [entry];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    files.push(relative(ROOT, file));
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? '';
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const base = join(dirname(file), specifier);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      if (target !== undefined) pending.push(target);
    }
  }
  return { files, packages };
}

describe('the core entry point', () => {
  it('never reaches mongoose or src/store/mongoose (only the ./mongoose subpath loads it)', () => {
    const { files, packages } = reachable(join(ROOT, 'src/index.ts'));
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((file) => file.includes('store/mongoose'))).toEqual([]);
    expect([...packages].filter((name) => name === 'mongoose' || name === 'mongodb' || name.startsWith('mongoose/'))).toEqual([]);
  });

  it('the mongoose entry point does reach mongoose (the check can fail)', () => {
    const { packages } = reachable(join(ROOT, 'src/store/mongoose/index.ts'));
    expect(packages.has('mongoose')).toBe(true);
  });
});

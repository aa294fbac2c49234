import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// Helpers of the package suite: the package as npm would publish it, and
// fresh applications that install it, outside this repository, so that
// nothing resolves to our own node_modules.

export const REPO_ROOT = resolve(__dirname, '../..');

/** package.json, as far as these checks read it. */
export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly exports: Readonly<Record<string, unknown>>;
  readonly peerDependencies: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
}

export const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** One entry point of `exports` that has JavaScript and types. */
export interface EntryPoint {
  /** `.`, `./mongoose`, … */
  readonly subpath: string;
  /** What an application imports: `graphql-scoped-permissions/mongoose`. */
  readonly specifier: string;
  /** Its ESM declaration file, relative to the package root. */
  readonly types: string;
}

/** Every entry of package.json `exports` with types (so not `./package.json`), read from the file: new entries are covered without a change here. */
export function entryPoints(pkg: PackageJson = packageJson): EntryPoint[] {
  return Object.entries(pkg.exports).flatMap(([subpath, target]) => {
    const conditions = target as { import?: { types?: string }; types?: string } | string;
    const types = typeof conditions === 'string' ? undefined : (conditions.import?.types ?? conditions.types);
    if (types === undefined) return [];
    return [{ subpath, specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, types: types.replace(/^\.\//, '') }];
  });
}

/** The optional peers (`@apollo/server`, `mongoose`). */
export function optionalPeers(pkg: PackageJson = packageJson): string[] {
  return Object.keys(pkg.peerDependencies).filter((name) => pkg.peerDependenciesMeta?.[name]?.optional === true);
}

const IMPORT = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The packages a declaration file needs, following its relative imports. */
export function declarationImports(packageRoot: string, file: string): Set<string> {
  const packages = new Set<string>();
  const pending = [join(packageRoot, file)];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const path = pending.pop() ?? '';
    if (seen.has(path) || !existsSync(path)) continue;
    seen.add(path);
    for (const match of readFileSync(path, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.')) {
        const base = join(dirname(path), specifier);
        pending.push(...[base, `${base}.d.ts`, base.replace(/\.js$/, '.d.ts')].filter((candidate) => candidate.endsWith('.d.ts')));
      } else {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
      }
    }
  }
  return packages;
}

/** The result of a command. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; never throws for a non-zero exit. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 300_000): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** A scratch folder outside the repository. */
export function scratchFolder(label: string): string {
  return mkdtempSync(join(tmpdir(), `gsp-${label}-`));
}

/**
 * Packs the package as `npm publish` would, from the current `dist/` (built
 * by `npm ci`), without running `prepare` again.
 */
export async function packPackage(folder: string): Promise<string> {
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], REPO_ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  return join(folder, info?.filename ?? '');
}

/** A fresh application folder: a package.json, and what `npm install` printed. */
export interface App {
  readonly folder: string;
  readonly install: CommandResult;
}

/** Creates an application and installs `packages` into it (the packed package's path among them). */
export async function installApp(label: string, packages: readonly string[]): Promise<App> {
  const folder = scratchFolder(label);
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify({ name: `smoke-${label}`, version: '1.0.0', private: true }, null, 2)}\n`);
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packages], folder);
  return { folder, install };
}

/** A TypeScript setup of the types matrix. */
export interface TypeSetup {
  readonly name: string;
  readonly packageType: 'module' | 'commonjs';
  readonly compilerOptions: Readonly<Record<string, unknown>>;
  /**
   * Only with the newest major of each peer: the lowest versions the ranges
   * allow predate the lib (mongoose 8.0.0's own `cursor.d.ts` fails under
   * `lib: esnext` with `skipLibCheck: false`, TS2416), which is theirs to fix.
   */
  readonly newestPeersOnly?: boolean;
}

/**
 * What `tsc --init` writes in TypeScript 5.9 (its defaults are `target`/`lib`
 * `esnext`, under which `ReadonlySet` has the ES2025 set methods), minus the
 * emit settings. `verbatimModuleSyntax` needs an ESM package.
 */
const TSC_INIT_5_9 = {
  module: 'nodenext',
  target: 'esnext',
  types: [],
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  strict: true,
  jsx: 'react-jsx',
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUncheckedSideEffectImports: true,
  moduleDetection: 'force',
  skipLibCheck: true,
} as const;

/**
 * The setups applications use: node10, node16 from CJS and from ESM,
 * bundler, `lib: esnext`, all with `skipLibCheck: false`; and `tsc --init`'s
 * defaults as it writes them.
 */
export const TYPE_SETUPS: readonly TypeSetup[] = [
  // esModuleInterop as `tsc --init` writes it: Apollo Server 4's own declarations need it under node10.
  { name: 'node10', packageType: 'commonjs', compilerOptions: { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true } },
  { name: 'node16 (CJS)', packageType: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'node16 (ESM)', packageType: 'module', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'bundler', packageType: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
  { name: 'esnext', packageType: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'esnext', lib: ['esnext'] }, newestPeersOnly: true },
  { name: 'tsc --init (TypeScript 5.9)', packageType: 'module', compilerOptions: TSC_INIT_5_9 },
];

/**
 * Compiles a fixture app that imports `entries` under `setup` with our
 * TypeScript, inside `app` so that it resolves the app's node_modules.
 *
 * @returns tsc's output: empty when it compiled.
 */
export async function compileFixture(app: string, setup: TypeSetup, entries: readonly EntryPoint[]): Promise<string> {
  const folder = join(app, `types-${setup.name.replace(/\W+/g, '-')}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'fixture', private: true, type: setup.packageType }));
  const compilerOptions = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], ...setup.compilerOptions };
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }, null, 2));
  const source = entries.map((entry, index) => `import * as entry${index} from '${entry.specifier}';`);
  source.push(`export const entries: ReadonlyArray<object> = [${entries.map((_entry, index) => `entry${index}`).join(', ')}];`);
  const main = entries.findIndex((entry) => entry.subpath === '.');
  if (main >= 0) {
    // A principal's scopes stay assignable to ReadonlySet<string>, whatever the lib (ES2025 set methods included).
    source.push(`const granted: ReadonlySet<string> = new entry${main}.ReadOnlyScopeSet(['posts.read']);`);
    source.push(`export const principal: entry${main}.Principal = { kind: 'apiKey', id: 'k1', scopes: granted };`);
  }
  writeFileSync(join(folder, 'index.ts'), `${source.join('\n')}\n`);
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', folder], folder);
  return `${result.stdout}${result.stderr}`.trim();
}

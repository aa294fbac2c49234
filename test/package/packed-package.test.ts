import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { testMongoUri, uniqueDbName } from '../support/mongo';
import { isCi } from '../support/mongo-env';
import {
  type App,
  REPO_ROOT,
  TYPE_SETUPS,
  compileFixture,
  declarationImports,
  entryPoints,
  installApp,
  optionalPeers,
  packPackage,
  packageJson,
  run,
  scratchFolder,
} from './packed-package';

// The package as users get it: `npm pack`, then fresh applications outside
// this repository that install the tarball the way the README says, with
// and without the optional peers, and with the lowest version and the
// newest release of each major that the peer ranges claim. Checked: attw, a compile matrix of every `exports` entry
// under node10, node16 (CJS and ESM) and bundler with skipLibCheck false,
// no EBADENGINE warning on install, and a runtime smoke test per app.
// `npm run test:package` runs this suite; CI runs it after `npm test`.

const FIXTURES = join(__dirname, 'fixtures');
const entries = entryPoints();
const peers = optionalPeers();

/** The README's install commands: the required line, and one line per optional peer. */
function readmeInstall(): { core: string[]; optional: string[] } {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Install\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const commands = block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npm install '))
    .map((line) => line.slice('npm install '.length).split(/\s+/));
  return { core: commands[0] ?? [], optional: commands.slice(1).flat() };
}

/** The parts of a peer range: `^4.7.5 || ^5.0.0` → [{ minimum: '4.7.5', major: '4' }, { minimum: '5.0.0', major: '5' }]. */
function rangeParts(range: string): Array<{ minimum: string; major: string }> {
  return range.split('||').map((part) => {
    const minimum = /\d+\.\d+\.\d+/.exec(part)?.[0] ?? '';
    return { minimum, major: minimum.split('.')[0] ?? '' };
  });
}

/**
 * The peer versions to install, one app each: the lowest versions the ranges
 * allow, then the newest release of each major, the first majors together,
 * then the second, … (so the newest Apollo Server with the newest Mongoose).
 */
const peerMatrix: Array<Record<string, string>> = (() => {
  const parts = peers.map((name) => [name, rangeParts(packageJson.peerDependencies[name] ?? '')] as const);
  const length = Math.max(...parts.map(([, list]) => list.length));
  const pick = (index: number, field: 'minimum' | 'major') =>
    Object.fromEntries(parts.map(([name, list]) => [name, list[Math.min(index, list.length - 1)]?.[field] ?? '']));
  return [pick(0, 'minimum'), ...Array.from({ length }, (_unused, index) => pick(index, 'major'))];
})();

let tarball = '';
const folders: string[] = [];

beforeAll(async () => {
  for (const file of entries.map((entry) => entry.types)) {
    if (!existsSync(join(REPO_ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` (npm ci does it too).`);
  }
  const folder = scratchFolder('pack');
  folders.push(folder);
  tarball = await packPackage(folder);
}, 120_000);

afterAll(() => {
  if (process.env.KEEP_PACKAGE_APPS === undefined) for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('lists every exports entry, and the README installs what it needs', () => {
    expect(entries.map((entry) => entry.subpath)).toEqual(expect.arrayContaining(['.', './mongoose', './apollo', './federation']));
    expect(readmeInstall().core).toEqual([packageJson.name, 'graphql']);
    expect(readmeInstall().optional.sort()).toEqual([...peers].sort());
  });

  it('passes @arethetypeswrong/cli for every entry, under node10, node16 (CJS, ESM) and bundler', async () => {
    const attw = await run(process.execPath, [join(REPO_ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'), tarball, '--format', 'json'], REPO_ROOT);
    const report = JSON.parse(attw.stdout) as {
      problems?: Record<string, unknown[]>;
      analysis: { problems?: unknown[]; entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName?: string } }> }> };
    };
    expect(Object.values(report.problems ?? {}).flat()).toEqual([]);
    expect(report.analysis.problems ?? []).toEqual([]);
    for (const entry of entries) {
      const resolutions = report.analysis.entrypoints[entry.subpath]?.resolutions ?? {};
      expect(Object.keys(resolutions).sort()).toEqual(['bundler', 'node10', 'node16-cjs', 'node16-esm']);
      for (const [mode, { resolution }] of Object.entries(resolutions)) {
        expect({ entry: entry.subpath, mode, types: resolution?.fileName?.endsWith('.d.ts') === true || resolution?.fileName?.endsWith('.d.cts') === true }).toEqual({
          entry: entry.subpath,
          mode,
          types: true,
        });
      }
    }
    expect(attw.code).toBe(0);
  }, 300_000);
});

describe('installed without the optional peers, as the README installs it', () => {
  let app: App;
  const corePeers = (entry: (typeof entries)[number]) => [...declarationImports(REPO_ROOT, entry.types)].filter((name) => peers.includes(name));
  const coreEntries = entries.filter((entry) => corePeers(entry).length === 0);

  beforeAll(async () => {
    const { core } = readmeInstall();
    app = await installApp('core', core.map((name) => (name === packageJson.name ? tarball : name)));
    folders.push(app.folder);
  }, 300_000);

  it('installs without an EBADENGINE warning on this Node', () => {
    expect(app.install.code).toBe(0);
    expect(`${app.install.stdout}${app.install.stderr}`).not.toMatch(/EBADENGINE/);
    for (const peer of peers) expect(existsSync(join(app.folder, 'node_modules', peer))).toBe(false);
  });

  it('has a main entry that needs no optional peer', () => {
    expect(coreEntries.map((entry) => entry.subpath)).toContain('.');
  });

  it.each(TYPE_SETUPS.map((setup) => [setup.name, setup] as const))('compiles every entry that needs no optional peer under %s', async (_name, setup) => {
    if (!existsSync(join(app.folder, 'node_modules', '@types', 'node'))) {
      const types = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', '@types/node@20'], app.folder);
      expect(types.code).toBe(0);
    }
    await expect(compileFixture(app.folder, setup, coreEntries)).resolves.toBe('');
  }, 300_000);

  it.each([['ESM', 'core-smoke.mjs'], ['CommonJS', 'core-smoke.cjs']])('runs from %s without the optional peers', async (_label, script) => {
    copyFileSync(join(FIXTURES, script), join(app.folder, script));
    const result = await run(process.execPath, [script], app.folder);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      allowed: { posts: ['p1'] },
      denied: [{ code: 'FORBIDDEN', requiredScope: 'posts.read', http: { status: 403 } }],
      misuse: { instance: true, code: expect.stringMatching(/^ERR_/) },
    });
  });
});

describe.each(peerMatrix.map((versions) => [Object.entries(versions).map(([name, version]) => `${name}@${version}`).join(' + '), versions] as const))(
  'installed with %s',
  (label, versions) => {
    let app: App;

    beforeAll(async () => {
      const { core } = readmeInstall();
      const packages = [...core.map((name) => (name === packageJson.name ? tarball : name)), ...Object.entries(versions).map(([name, version]) => `${name}@${version}`), '@types/node@20'];
      app = await installApp(label.replace(/\W+/g, '-'), packages);
      folders.push(app.folder);
    }, 300_000);

    it('installs without a peer conflict', () => {
      expect({ code: app.install.code, conflict: /ERESOLVE/.test(app.install.stderr) }).toEqual({ code: 0, conflict: false });
      for (const [name, version] of Object.entries(versions)) {
        const installed = JSON.parse(readFileSync(join(app.folder, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
        expect({ name, version: version.includes('.') ? installed.version : installed.version.split('.')[0] }).toEqual({ name, version });
      }
    });

    const lowest = versions === peerMatrix[0];
    it.each(TYPE_SETUPS.filter((setup) => !(lowest && setup.newestPeersOnly === true)).map((setup) => [setup.name, setup] as const))('compiles every entry under %s', async (_name, setup) => {
      await expect(compileFixture(app.folder, setup, entries)).resolves.toBe('');
    }, 300_000);

    it('runs every entry from CommonJS, with one error class across entries', async () => {
      copyFileSync(join(FIXTURES, 'peer-smoke.cjs'), join(app.folder, 'peer-smoke.cjs'));
      const result = await run(process.execPath, ['peer-smoke.cjs'], app.folder);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        store: { instance: true, code: 'ERR_INVALID_OPTIONS', echoed: false },
        plugin: { instance: true, code: 'ERR_INVALID_OPTIONS', echoed: false },
        envelop: { instance: true, code: 'ERR_INVALID_OPTIONS', echoed: false },
        mercurius: { instance: true, code: 'ERR_INVALID_OPTIONS', echoed: false },
      });
    });

    it('serves keys and groups from MongoDB through Apollo Server, under both status policies', async () => {
      const server = testMongoUri();
      if (server === null) {
        if (isCi()) throw new Error('no test database under CI');
        process.stderr.write(`\nSKIPPED (no test database): the ${label} runtime smoke test did not run.\n`);
        return;
      }
      const url = new URL(server);
      url.pathname = `/${uniqueDbName()}`;
      copyFileSync(join(FIXTURES, 'peer-smoke.mjs'), join(app.folder, 'peer-smoke.mjs'));
      const result = await run(process.execPath, ['peer-smoke.mjs'], app.folder, { ...process.env, MONGODB_URI: url.toString() });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        statuses: {
          'auto read': [200],
          'auto partial': [200, 'FORBIDDEN'],
          'auto denied': [403, 'FORBIDDEN'],
          'auto anonymous': [401, 'UNAUTHENTICATED'],
          'auto badKey': [401, 'UNAUTHENTICATED'],
          '200 read': [200],
          '200 partial': [200, 'FORBIDDEN'],
          '200 denied': [200, 'FORBIDDEN'],
          '200 anonymous': [200, 'UNAUTHENTICATED'],
          '200 badKey': [401, 'UNAUTHENTICATED'],
        },
        userScopes: ['posts.write'],
        keysInDefaultModel: 1,
        hashInJson: false,
      });
    }, 60_000);
  },
);

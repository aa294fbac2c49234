import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { isCi, loudNotice } from '../../support/mongo-env';

/** Where the browser suite saves screenshots (gitignored). */
export const ARTIFACTS_DIR = resolve(__dirname, '../../../test-artifacts/admin');

/** Where the README's screenshots live; written only with `UPDATE_SCREENSHOTS=1`. */
export const DOCS_DIR = resolve(__dirname, '../../../docs');

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Debian's chromium (or `CHROMIUM_PATH`), or `undefined` when none of `candidates` is installed. */
export function findChromium(candidates: ReadonlyArray<string | undefined> = CANDIDATES): string | undefined {
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate));
}

/** What a browser suite does: run, fail (no browser under CI), or skip loudly (no browser locally). */
export function browserSuiteMode(executablePath: string | undefined, ci: boolean): 'run' | 'fail' | 'skip' {
  if (executablePath !== undefined) return 'run';
  return ci ? 'fail' : 'skip';
}

/**
 * `describe` for browser suites. Without a browser it skips with a loud
 * notice, except under `CI=true` (or `1`), where the missing browser fails the run
 * (`.ci/run` installs `chromium`).
 */
export function describeInBrowser(name: string, suite: (executablePath: string) => void): void {
  const executablePath = findChromium();
  const mode = browserSuiteMode(executablePath, isCi());
  if (mode === 'run' && executablePath !== undefined) {
    describe(name, () => suite(executablePath));
    return;
  }
  if (mode === 'fail') {
    describe(name, () => {
      it('needs a browser: install chromium (apt-get install -y chromium) or set CHROMIUM_PATH', () => {
        throw new Error(`No browser found at ${CANDIDATES.filter(Boolean).join(', ')}; CI=true requires one.`);
      });
    });
    return;
  }
  process.stderr.write(
    loudNotice(`SKIPPED: "${name}" needs chromium`, [
      `None was found at ${CANDIDATES.filter(Boolean).join(', ')}.`,
      'Install it (apt-get install -y chromium) or set CHROMIUM_PATH. Under CI=true this fails instead.',
    ]),
  );
  describe.skip(name, () => suite(''));
}

/**
 * Launches headless chromium with a fresh profile, as the brief prescribes.
 * Playwright turns the back/forward cache off by default; `backForwardCache`
 * keeps it on, as in a user's Chrome.
 */
export function launchBrowser(executablePath: string, options: { readonly backForwardCache?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...(options.backForwardCache === true ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
  });
}

/** Makes sure a directory exists and returns it. */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Where the browser suite saves screenshots (gitignored). */
export const ARTIFACTS_DIR = resolve(__dirname, '../../../test-artifacts/admin');

/** Where the README's screenshots live; written only with `UPDATE_SCREENSHOTS=1`. */
export const DOCS_DIR = resolve(__dirname, '../../../docs');

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Debian's chromium (or `CHROMIUM_PATH`), or `undefined` when none is installed. */
export function findChromium(): string | undefined {
  return CANDIDATES.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate));
}

/**
 * `describe` for browser suites. Without a browser it skips with a loud
 * notice, except under `CI=true`, where the missing browser fails the run
 * (`.ci/run` installs `chromium`).
 */
export function describeInBrowser(name: string, suite: (executablePath: string) => void): void {
  const executablePath = findChromium();
  if (executablePath !== undefined) {
    describe(name, () => suite(executablePath));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a browser: install chromium (apt-get install -y chromium) or set CHROMIUM_PATH', () => {
        throw new Error(`No browser found at ${CANDIDATES.filter(Boolean).join(', ')}; CI=true requires one.`);
      });
    });
    return;
  }
  process.stderr.write(
    `\n${'!'.repeat(78)}\n!! SKIPPED: "${name}" needs chromium, and none was found at ${CANDIDATES.filter(Boolean).join(', ')}.\n` +
      `!! Install it (apt-get install -y chromium) or set CHROMIUM_PATH. Under CI=true this fails.\n${'!'.repeat(78)}\n\n`,
  );
  describe.skip(name, () => suite(''));
}

/** Launches headless chromium with a fresh profile, as the brief prescribes. */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Makes sure a directory exists and returns it. */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

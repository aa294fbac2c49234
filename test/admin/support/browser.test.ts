import { browserSuiteMode, findChromium } from './browser';

describe('the browser suite harness', () => {
  it('finds the first installed candidate, skipping unset and missing ones', () => {
    expect(findChromium([undefined, '', '/nonexistent/chromium', process.execPath])).toBe(process.execPath);
    expect(findChromium(['/nonexistent/chromium'])).toBeUndefined();
  });

  it.each<[string | undefined, boolean, string]>([
    ['/usr/bin/chromium', false, 'run'],
    ['/usr/bin/chromium', true, 'run'],
    [undefined, true, 'fail'],
    [undefined, false, 'skip'],
  ])('with browser %s and CI %s: %s', (path, ci, mode) => {
    expect(browserSuiteMode(path, ci)).toBe(mode);
  });
});

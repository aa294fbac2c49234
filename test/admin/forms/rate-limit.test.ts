import { readRateLimit } from '../../../src/admin/forms/rate-limit';

function form(entries: ReadonlyArray<readonly [string, string]>): URLSearchParams {
  return new URLSearchParams(entries.map(([name, value]): [string, string] => [name, value]));
}

describe('readRateLimit', () => {
  it.each<[string, ReadonlyArray<readonly [string, string]>, string | null, string]>([
    ['an absent field', [], null, ''],
    ['an empty field', [['rateLimit', '']], null, ''],
    ['spaces only', [['rateLimit', ' \t ']], null, ''],
    ['a rate', [['rateLimit', '100/minute']], '100/minute', '100/minute'],
    ['a rate with spaces around it', [['rateLimit', '  5/s ']], '5/s', '5/s'],
    ['the largest count', [['rateLimit', '1000000000/day']], '1000000000/day', '1000000000/day'],
  ])('reads %s', (_case, entries, rateLimit, typed) => {
    expect(readRateLimit(form(entries))).toEqual({ typed, rateLimit: { ok: true, value: rateLimit } });
  });

  it.each(['0/hour', '-1/min', '10/fortnight', '1.5/s', '1e3/s', '10/HOUR', '10 /hour', '10/hours', '/hour', '10/', '1000000001/day', `${'1'.repeat(5000)}/s`, '10/hour\u0000', 'constructor', '10/__proto__'])(
    'refuses %j with the parser’s error, keeping what was typed',
    (value) => {
      const read = readRateLimit(form([['rateLimit', value]]));
      expect(read.typed).toBe(value.trim());
      expect(read.rateLimit).toEqual({ ok: false, error: expect.stringContaining('s, sec, second, m, min, minute, h, hour, d, day') });
    },
  );

  it('refuses a field sent twice', () => {
    expect(readRateLimit(form([['rateLimit', '1/s'], ['rateLimit', '2/s']])).rateLimit).toEqual({ ok: false, error: expect.any(String) });
  });
});

import { parseExpiry, parseGracePeriod } from '../../src/cli/parse-duration';

const NOW = new Date('2025-01-01T00:00:00.000Z');

describe('parseExpiry', () => {
  it.each([
    ['90d', '2025-04-01T00:00:00.000Z'],
    ['1d', '2025-01-02T00:00:00.000Z'],
    ['12h', '2025-01-01T12:00:00.000Z'],
    ['30m', '2025-01-01T00:30:00.000Z'],
    [' 7d ', '2025-01-08T00:00:00.000Z'],
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2026-01-31T12:00:00Z', '2026-01-31T12:00:00.000Z'],
    ['2026-01-31T12:00Z', '2026-01-31T12:00:00.000Z'],
    ['2026-01-31T12:00:00.250+02:00', '2026-01-31T10:00:00.250Z'],
  ])('parses %j', (value, expected) => {
    expect(parseExpiry(value, NOW).toISOString()).toBe(expected);
  });

  it.each([
    ['an empty string', ''],
    ['a bare number', '90'],
    ['an unknown unit', '1y'],
    ['a unit in capitals', '90D'],
    ['a negative duration', '-5d'],
    ['a zero duration', '0d'],
    ['a fraction', '1.5d'],
    ['too many digits', '1234567d'],
    ['words', 'tomorrow'],
    ['an impossible date', '2025-02-30'],
    ['a leap day in a common year', '2027-02-29'],
    ['an impossible month', '2025-13-01'],
    ['an impossible hour', '2025-06-01T24:00:00Z'],
    ['a date-time without offset (ambiguous local time)', '2025-06-01T12:00:00'],
    ['a past date', '2024-12-31'],
    ['the current moment', '2025-01-01T00:00:00Z'],
    ['a non-ISO date', '01/31/2026'],
  ])('rejects %s with ERR_INVALID_OPTIONS', (_label, value) => {
    expect(() => parseExpiry(value, NOW)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', details: { option: 'expires' } }));
  });
});

describe('parseGracePeriod', () => {
  it.each([
    ['0', 0],
    ['00', 0],
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    [' 7d ', 604_800_000],
    ['365d', 31_536_000_000],
  ])('reads %j as %d ms', (value, expected) => {
    expect(parseGracePeriod(value)).toBe(expected);
  });

  it.each(['', '24', '1y', '-1h', '1.5h', '366d', '9999999h', 'soon'])('refuses %j with ERR_INVALID_OPTIONS naming --grace', (value) => {
    expect(() => parseGracePeriod(value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', details: { option: 'grace' } }));
  });
});

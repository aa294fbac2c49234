import { formatDate, formatTime, parseExpiryDate } from '../../../src/admin/forms/dates';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('parseExpiryDate', () => {
  it('reads an empty field as never', () => {
    expect(parseExpiryDate('  ', NOW)).toBeNull();
  });

  it('reads a future date as 00:00 UTC of that day', () => {
    expect(parseExpiryDate('2026-11-27', NOW)).toEqual(new Date('2026-11-27T00:00:00.000Z'));
  });

  it.each(['2026-11-26', '2026-11-25', '1999-01-01'])('refuses %s, not after today', (value) => {
    expect(parseExpiryDate(value, NOW)).toEqual({ error: expect.stringContaining('after today') });
  });

  it.each(['2026-02-30', '2027-13-01', '0099-01-01', '2027-1-1', 'tomorrow', '2027-01-01T00:00', '<script>'])('refuses %j', (value) => {
    expect(parseExpiryDate(value, NOW)).toEqual({ error: expect.any(String) });
  });
});

describe('formatDate and formatTime', () => {
  it('show UTC', () => {
    const date = new Date('2026-11-26T01:51:09.123Z');
    expect(formatDate(date)).toBe('2026-11-26');
    expect(formatTime(date, '—')).toBe('2026-11-26 01:51 UTC');
    expect(formatTime(null, 'never')).toBe('never');
    expect(formatTime(new Date(Number.NaN), '—')).toBe('—');
  });
});

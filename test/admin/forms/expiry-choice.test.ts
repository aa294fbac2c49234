import { chosenExpiry, readExpiryChoice } from '../../../src/admin/forms/expiry-choice';

const NOW = Date.parse('2030-01-02T03:04:05.000Z');
const DAY_MS = 86_400_000;

function form(fields: Record<string, string | string[]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) params.append(name, one);
  return params;
}

describe('readExpiryChoice and chosenExpiry', () => {
  it.each([
    ['no preset: the date field', { expires: '2031-01-01' }, new Date('2031-01-01T00:00:00Z')],
    ['no preset, empty date: never', { expires: '' }, null],
    ['"date"', { expires: '2031-01-01', expiresIn: 'date' }, new Date('2031-01-01T00:00:00Z')],
    ['30d', { expires: '2031-01-01', expiresIn: '30d' }, new Date(NOW + 30 * DAY_MS)],
    ['90d', { expiresIn: '90d' }, new Date(NOW + 90 * DAY_MS)],
    ['365d', { expiresIn: '365d' }, new Date(NOW + 365 * DAY_MS)],
    ['never, whatever the date', { expires: '2031-01-01', expiresIn: 'never' }, null],
  ])('%s', (_label, fields, expected) => {
    expect(chosenExpiry(readExpiryChoice(form(fields), NOW), NOW)).toEqual(expected);
  });

  it.each([
    ['an unknown preset', { expiresIn: '7d' }],
    ['a prototype key', { expiresIn: 'constructor' }],
    ['two presets', { expiresIn: ['30d', 'never'] }],
    ['two dates', { expires: ['2031-01-01', '2032-01-01'] }],
    ['a past date', { expires: '2001-01-01', expiresIn: 'date' }],
  ])('refuses %s', (_label, fields) => {
    expect(chosenExpiry(readExpiryChoice(form(fields), NOW), NOW)).toEqual({ error: expect.any(String) });
  });
});

import { readGracePeriod } from '../../../src/admin/forms/grace-period';

function form(fields: Record<string, string | string[]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) params.append(name, one);
  return params;
}

describe('readGracePeriod', () => {
  it.each([
    ['none', 0],
    ['1h', 3_600_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
  ])('%s is %i ms', (grace, ms) => {
    expect(readGracePeriod(form({ grace }))).toBe(ms);
  });

  it.each([[{}], [{ grace: '' }], [{ grace: '0' }], [{ grace: '2h' }], [{ grace: 'hasOwnProperty' }], [{ grace: ['1h', '1h'] }]])('refuses %j', (fields) => {
    expect(readGracePeriod(form(fields))).toBeUndefined();
  });
});

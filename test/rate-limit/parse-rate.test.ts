import { MAX_RATE_POINTS, parseRate } from '../../src/rate-limit/parse-rate';

describe('parseRate', () => {
  it.each([
    ['10/hour', 10, 3_600_000],
    ['5/s', 5, 1000],
    ['5/sec', 5, 1000],
    ['1/second', 1, 1000],
    ['100/minute', 100, 60_000],
    ['100/min', 100, 60_000],
    ['3/m', 3, 60_000],
    ['7/h', 7, 3_600_000],
    ['1000/day', 1000, 86_400_000],
    ['2/d', 2, 86_400_000],
    [`${MAX_RATE_POINTS}/s`, MAX_RATE_POINTS, 1000],
  ])('%s → %d per %d ms', (rate, points, durationMs) => {
    expect(parseRate(rate)).toEqual({ points, durationMs });
  });

  it.each([
    ['0/hour'],
    ['-1/min'],
    ['+1/min'],
    ['10/fortnight'],
    ['10/hours'],
    ['10/Minute'],
    ['1.5/s'],
    ['1e3/s'],
    ['01/s'],
    [' 10/s'],
    ['10/s '],
    ['10 / s'],
    ['10'],
    ['/s'],
    ['10/'],
    ['10/constructor'],
    ['10/toString'],
    [`${MAX_RATE_POINTS + 1}/s`],
    ['99999999999/s'],
    [''],
  ])('refuses %j with ERR_INVALID_OPTIONS naming the units', (rate) => {
    expect.assertions(2);
    try {
      parseRate(rate);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_INVALID_OPTIONS', details: { option: 'rate' } });
      expect((error as Error).message).toContain('s, sec, second, m, min, minute, h, hour, d, day');
    }
  });

  it.each([[10], [null], [undefined], [{}]])('refuses the non-string %p', (rate) => {
    expect(() => parseRate(rate as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

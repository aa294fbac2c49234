import { denialStatusPolicy, denialsAnswer200, isDenialStatus } from '../../src/edge/denial-status';

describe('the denial status policy', () => {
  it.each<[unknown, string | number]>([
    [undefined, 'auto'],
    ['auto', 'auto'],
    [200, 200],
  ])('reads denialStatus %p as %p', (option, policy) => {
    expect(denialStatusPolicy(option)).toBe(policy);
  });

  it.each<[unknown]>([[403], ['200'], [null], ['always'], [0]])('refuses denialStatus %p with ERR_INVALID_OPTIONS', (option) => {
    expect(() => denialStatusPolicy(option)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });

  it.each<['auto' | 200, boolean, boolean]>([
    ['auto', true, true],
    ['auto', false, false],
    [200, true, true],
    [200, false, true],
  ])('denialStatus %p, data survives: %p → answer 200: %p', (policy, hasData, answer200) => {
    expect(denialsAnswer200(policy, hasData)).toBe(answer200);
  });

  it.each<[number | undefined, boolean]>([
    [401, true],
    [403, true],
    [200, false],
    [429, false],
    [503, false],
    [undefined, false],
  ])('status %p is a denial: %p', (status, denial) => {
    expect(isDenialStatus(status)).toBe(denial);
  });
});

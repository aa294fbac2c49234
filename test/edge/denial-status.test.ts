import { denialStatusPolicy, denialsAnswer200, dropsErrorStatus, isDenialStatus } from '../../src/edge/denial-status';
import { forbiddenError, rateLimitedError, storeUnavailableError } from '../../src/errors/graphql-errors';

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

describe('dropsErrorStatus: the one status decision of the Envelop and Mercurius adapters', () => {
  const forbidden = forbiddenError('posts.read');
  const limited = rateLimitedError(30_000, 'analytics.export');
  const outage = storeUnavailableError();
  it.each([
    ['a denial, data survives', forbidden, 'auto', { posts: null, hello: 'world' }, true],
    ['a denial, no data', forbidden, 'auto', null, false],
    ['a denial under 200', forbidden, 200, null, true],
    ['a rate-limited field beside a value', limited, 'auto', { analyticsExport: null, hello: 'world' }, true],
    ['a rate-limited operation (every root field null)', limited, 'auto', { analyticsExport: null, hello: null }, false],
    ['a rate limit under 200', limited, 200, { analyticsExport: null }, true],
    ['a store outage keeps its 503', outage, 200, { hello: 'world' }, false],
  ] as const)('%s → drops its status: %p', (_label, error, policy, data, drops) => {
    expect(dropsErrorStatus(error, policy, data)).toBe(drops);
  });
});

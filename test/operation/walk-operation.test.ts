import { execute, parse, validate } from 'graphql';
import { checkOperation } from '../../src/operation/check-operation';
import { MAX_WALKED_SELECTIONS } from '../../src/operation/walk-operation';
import { buildLibrarySchema, key } from './library-schema';

const quiet = { onWarning: () => undefined };

/** A valid document of `levels` fragments, each selecting the next under two fields: 2^levels paths. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on User { posts { author { ...F${i + 1} } } again: posts { author { ...F${i + 1} } } }`,
  );
  return `{ me { ...F0 } } ${fragments.join(' ')} fragment F${levels} on User { name email }`;
}

describe('review-2 finding R1: a small valid document whose fragments multiply makes the operation walk exponential', () => {
  // Without a bound the walk visits every path: 2^40 here, hours of CPU for one request, before
  // any credential is looked at (an anonymous caller is walked twice: the plan, then the denials).
  // The counting requirement stops a runaway walk so that the test fails instead of hanging.
  let visits = 0;
  const counting = {
    ...quiet,
    requiredScope: () => {
      visits += 1;
      if (visits > 10 * MAX_WALKED_SELECTIONS) throw new Error('runaway walk');
      return null;
    },
  };
  beforeEach(() => {
    visits = 0;
  });

  it('is a document graphql-js validates quickly', () => {
    expect(validate(buildLibrarySchema(quiet), parse(fragmentBomb(40)))).toEqual([]);
  });

  it.each([
    ['an authenticated caller', key('posts.read')],
    ['an anonymous caller', undefined],
  ])('refuses it with ERR_INVALID_OPERATION after a bounded walk, for %s', (_label, principal) => {
    const schema = buildLibrarySchema(counting);
    expect(() => checkOperation({ schema, document: parse(fragmentBomb(40)), principal })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPERATION', details: { limit: MAX_WALKED_SELECTIONS } }),
    );
    expect(visits).toBeLessThanOrEqual(MAX_WALKED_SELECTIONS);
  });

  it('refuses it in operation mode before any resolver runs', async () => {
    const schema = buildLibrarySchema({ ...counting, enforce: 'operation' });
    const result = await execute({ schema, document: parse(fragmentBomb(40)), contextValue: {} });
    expect(result.data).toEqual({ me: null });
    expect(result.errors?.map((error) => (error.originalError as { code?: string } | undefined)?.code)).toEqual(['ERR_INVALID_OPERATION']);
    expect(visits).toBeLessThanOrEqual(MAX_WALKED_SELECTIONS);
  });

  it('still checks a large ordinary document, and the same fragments nested a few levels', () => {
    const schema = buildLibrarySchema(quiet);
    const wide = `{ ${Array.from({ length: 2000 }, (_, i) => `p${i}: posts { id title author { name } }`).join(' ')} }`;
    expect(checkOperation({ schema, document: parse(wide), principal: key('posts.read') }).allowed).toBe(true);
    expect(checkOperation({ schema, document: parse(fragmentBomb(8)), principal: key('posts.read', 'users.email') }).allowed).toBe(true);
  });
});

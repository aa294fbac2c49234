import { GraphQLError } from 'graphql';
import { resultForYoga, withRecordHeaders } from '../../src/envelop/http-extensions';
import { forbiddenError, storeUnavailableError, unauthenticatedError } from '../../src/errors/graphql-errors';

const httpOf = (error: GraphQLError | undefined): unknown => error?.extensions['http'];

describe('withRecordHeaders', () => {
  it('turns a Map of headers into the record Yoga reads, keeping code, status and message', () => {
    const error = withRecordHeaders(unauthenticatedError('Invalid API key.', undefined, 'Bearer error="invalid_token"'));
    expect(httpOf(error)).toEqual({ status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    expect([error.message, error.extensions['code']]).toEqual(['Invalid API key.', 'UNAUTHENTICATED']);
    expect(httpOf(withRecordHeaders(storeUnavailableError()))).toEqual({ status: 503, headers: { 'retry-after': '5' } });
  });

  it('returns an error without a Map of headers as it is', () => {
    const error = forbiddenError('posts.read');
    expect(withRecordHeaders(error)).toBe(error);
  });
});

describe('resultForYoga', () => {
  const located = (error: GraphQLError, path: string[]) => new GraphQLError(error.message, { path, originalError: error, extensions: error.extensions });
  const appError = new GraphQLError('teapot', { extensions: { code: 'TEAPOT', http: { status: 418 } } });

  it('leaves a result without errors alone (the hot path)', () => {
    expect(resultForYoga({ data: { posts: [] } }, 'auto')).toBeNull();
  });

  it.each<['auto' | 200, unknown, boolean]>([
    ['auto', { posts: null, hello: 'world' }, true],
    ['auto', null, false],
    [200, null, true],
  ])('denialStatus %p, data %j: denials answered 200: %p', (policy, data, answer200) => {
    const denial = located(forbiddenError('posts.read'), ['posts']);
    const result = resultForYoga({ data: data as Record<string, unknown> | null, errors: [denial, appError] }, policy);
    const errors = result?.errors ?? [denial, appError];
    expect(httpOf(errors[0])).toEqual(answer200 ? undefined : { status: 403 });
    expect(errors[0]?.extensions['code']).toBe('FORBIDDEN');
    expect(errors[0]?.path).toEqual(['posts']);
    // Errors that are not denials keep their status.
    expect(httpOf(errors[1])).toEqual({ status: 418 });
  });
});

import { GraphQLError } from 'graphql';
import { forbiddenError, storeUnavailableError, unauthenticatedError } from '../../src/errors/graphql-errors';
import { scopedErrorFormatter, type MercuriusExecution, type MercuriusFormatted } from '../../src/mercurius';

/** A stand-in for mercurius.defaultErrorFormatter: 200, `data: null` when absent, errors as JSON. */
const base = (execution: MercuriusExecution): MercuriusFormatted => ({
  statusCode: 200,
  response: { data: execution.data ?? null, errors: execution.errors.map((error) => error.toJSON()) },
});

function format(execution: MercuriusExecution, options?: Parameters<typeof scopedErrorFormatter>[1]) {
  const headers: Record<string, string> = {};
  const formatted = scopedErrorFormatter(base, options)(execution, { reply: { header: (name: string, value: string) => (headers[name] = value) } });
  return { status: formatted.statusCode, headers, body: formatted.response };
}

describe('scopedErrorFormatter', () => {
  it.each([
    ['a bad credential before execution', { errors: [unauthenticatedError('bad', undefined, 'Bearer error="invalid_token"')] }, 'auto', 401, { 'www-authenticate': 'Bearer error="invalid_token"' }],
    ['a store outage', { errors: [storeUnavailableError()] }, 'auto', 503, { 'retry-after': '5' }],
    ['a denial that leaves no data', { data: null, errors: [forbiddenError('posts.read')] }, 'auto', 403, {}],
    ['a denial beside data', { data: { hello: 'world', stats: null }, errors: [forbiddenError('stats.read')] }, 'auto', 200, {}],
    ['a denial that leaves no data, denialStatus 200', { data: null, errors: [forbiddenError('posts.read')] }, 200, 200, {}],
    ['a store outage, denialStatus 200', { errors: [storeUnavailableError()] }, 200, 503, { 'retry-after': '5' }],
    ['an error of the application', { data: null, errors: [new GraphQLError('boom')] }, 'auto', 200, {}],
  ] as const)('%s', (_label, execution, denialStatus, status, headers) => {
    const answer = format(execution as MercuriusExecution, { denialStatus });
    expect({ status: answer.status, headers: answer.headers }).toEqual({ status, headers });
  });

  it('keeps extensions.http out of the body, and gives no data entry to a request refused before execution', () => {
    const refused = format({ errors: [unauthenticatedError('bad', undefined, 'Bearer')] });
    expect(refused.body).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] });
    const denied = format({ data: null, errors: [forbiddenError('posts.read')] });
    expect(denied.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN', requiredScope: 'posts.read' } })] });
  });

  it.each([['yes'], [403], [null]])('refuses denialStatus %p with ERR_INVALID_OPTIONS', (denialStatus) => {
    expect(() => scopedErrorFormatter(base, { denialStatus: denialStatus as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

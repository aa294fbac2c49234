import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import type { EdgeCheck } from './matrix-app';
import { ABSENT, type ObservedAnswer, type ObservedError } from './observed-answer';

/** One configuration every server runs: the schema's enforcement mode, and whether the edge also rejects whole operations. */
export interface MatrixVariant {
  readonly label: string;
  readonly mode: EnforcementMode;
  readonly edgeCheck: EdgeCheck;
}

export const MATRIX_VARIANTS: readonly MatrixVariant[] = [
  { label: "'field' mode", mode: 'field', edgeCheck: 'none' },
  { label: "'operation' mode", mode: 'operation', edgeCheck: 'none' },
  { label: "'field' mode + edge reject", mode: 'field', edgeCheck: 'reject' },
];

/** Which answer a variant gives: the column of the tables below. */
type Column = 'field' | 'operation' | 'reject';

const columnOf = (variant: MatrixVariant): Column => (variant.edgeCheck === 'reject' ? 'reject' : variant.mode);

const forbidden = (scope: string, path?: readonly (string | number)[], missing = false): ObservedError => ({
  code: 'FORBIDDEN',
  requiredScope: scope,
  ...(missing ? { missingScopes: [scope] } : {}),
  ...(path === undefined ? {} : { path }),
});
const unauthenticated = (scope: string, path?: readonly (string | number)[], missing = false): ObservedError => ({
  ...forbidden(scope, path, missing),
  code: 'UNAUTHENTICATED',
});

const answer = (status: number, data: unknown, errors: readonly ObservedError[] = [], headers: Partial<ObservedAnswer> = {}): ObservedAnswer => ({
  status,
  data,
  errors,
  wwwAuthenticate: null,
  retryAfter: null,
  ...headers,
});

/** The same answer in every column. */
const everywhere = (expected: ObservedAnswer): Record<Column, ObservedAnswer> => ({ field: expected, operation: expected, reject: expected });

const BAD_CREDENTIAL = everywhere(answer(401, ABSENT, [{ code: 'UNAUTHENTICATED' }], { wwwAuthenticate: 'Bearer error="invalid_token"' }));

/**
 * The answer of the reference (Apollo Server 5 with the package's plugins)
 * to each case of `MATRIX_CASES`, per variant. Every server must give it,
 * except for the differences listed in `EXPECTED_DIFFERENCES`.
 */
const EXPECTED: Readonly<Record<string, Record<Column, ObservedAnswer>>> = {
  allowed: everywhere(answer(200, { posts: [{ id: 'p1', title: 'Hello' }] })),
  'allowed mutation': everywhere(answer(200, { createPost: { id: 'p2', title: 'Hi' } })),
  'partial denial': {
    field: answer(200, { hello: 'world', stats: null }, [forbidden('stats.read', ['stats'])]),
    // Operation mode refuses every root field with one error, at the first one resolved: the data that survives is nulls, so 200.
    operation: answer(200, { hello: null, stats: null }, [forbidden('stats.read', ['hello'], true)]),
    reject: answer(403, ABSENT, [forbidden('stats.read', undefined, true)]),
  },
  'partial denial below an allowed field': {
    field: answer(200, { posts: [{ id: 'p1', secret: null }] }, [forbidden('secrets.read', ['posts', 0, 'secret'])]),
    operation: answer(403, null, [forbidden('secrets.read', ['posts'], true)]),
    reject: answer(403, ABSENT, [forbidden('secrets.read', undefined, true)]),
  },
  'whole denial': {
    field: answer(403, null, [forbidden('posts.read', ['posts'])]),
    operation: answer(403, null, [forbidden('posts.read', ['posts'], true)]),
    reject: answer(403, ABSENT, [forbidden('posts.read', undefined, true)]),
  },
  'mutation without its scope': {
    field: answer(200, { createPost: null }, [forbidden('posts.write', ['createPost'])]),
    operation: answer(200, { createPost: null }, [forbidden('posts.write', ['createPost'], true)]),
    reject: answer(403, ABSENT, [forbidden('posts.write', undefined, true)]),
  },
  'anonymous, scoped field': {
    field: answer(401, null, [unauthenticated('posts.read', ['posts'])]),
    operation: answer(401, null, [unauthenticated('posts.read', ['posts'], true)]),
    reject: answer(401, ABSENT, [unauthenticated('posts.read', undefined, true)]),
  },
  'anonymous, public field': everywhere(answer(200, { hello: 'world' })),
  'malformed key': BAD_CREDENTIAL,
  'unknown key': BAD_CREDENTIAL,
  'revoked key': BAD_CREDENTIAL,
  'store outage': everywhere(answer(503, ABSENT, [{ code: 'ERR_STORE_UNAVAILABLE' }], { retryAfter: '5' })),
};

/** The reference answer to a case under a variant. */
export function expectedAnswer(caseName: string, variant: MatrixVariant): ObservedAnswer {
  const row = EXPECTED[caseName];
  if (row === undefined) throw new Error(`no expected answer for the case "${caseName}"`);
  return row[columnOf(variant)];
}

/** The payloads of a subscription to `postAdded` whose key is revoked after the first event: the event, then the refusal. */
export function expectedRevokedSubscription(variant: MatrixVariant): Array<{ data: unknown; errors: readonly ObservedError[] }> {
  const refusal = variant.mode === 'operation' ? unauthenticated('posts.read', ['postAdded'], true) : unauthenticated('posts.read', ['postAdded']);
  return [
    { data: { postAdded: { id: 'p1', title: 'Hello' } }, errors: [] },
    { data: { postAdded: null }, errors: [refusal] },
  ];
}

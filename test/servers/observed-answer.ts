import type { GraphQLBody, GraphQLErrorBody, HttpAnswer } from './matrix-client';

/** What the matrix compares of an error: its code, scopes and path, never its message. */
export interface ObservedError {
  readonly code: unknown;
  readonly requiredScope?: unknown;
  readonly missingScopes?: unknown;
  readonly path?: readonly (string | number)[];
}

/** What the matrix compares of an answer. */
export interface ObservedAnswer {
  readonly status: number;
  /** `'(absent)'` when the body has no `data` key (a request refused before execution). */
  readonly data: unknown;
  readonly errors: readonly ObservedError[];
  readonly wwwAuthenticate: string | null;
  readonly retryAfter: string | null;
}

export const ABSENT = '(absent)';

export function observedError(error: GraphQLErrorBody): ObservedError {
  const { code, requiredScope, missingScopes } = error.extensions ?? {};
  return {
    code,
    ...(requiredScope === undefined ? {} : { requiredScope }),
    ...(missingScopes === undefined ? {} : { missingScopes }),
    ...(error.path === undefined ? {} : { path: error.path }),
  };
}

export function observedBody(body: GraphQLBody): Pick<ObservedAnswer, 'data' | 'errors'> {
  return { data: 'data' in body ? body.data : ABSENT, errors: (body.errors ?? []).map(observedError) };
}

export function observedAnswer(answer: HttpAnswer): ObservedAnswer {
  return {
    status: answer.status,
    ...observedBody(answer.body),
    wwwAuthenticate: answer.headers.get('www-authenticate'),
    retryAfter: answer.headers.get('retry-after'),
  };
}

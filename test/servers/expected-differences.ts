import type { ObservedAnswer } from './observed-answer';

/**
 * A difference a server imposes on the reference answer, asserted as such
 * (and listed in the README's "Servers" section): where it applies, the
 * server must answer `observed` instead of the reference's value, and the
 * matrix checks that the reference's value really differs, so a stale
 * entry fails.
 */
export interface ExpectedDifference {
  /** `RunningServer.name`. */
  readonly server: string;
  /** `MatrixCase.name`, or `'*'` for every case. */
  readonly case: string;
  /** `MatrixVariant.label`, or `'*'` for every variant. */
  readonly variant: string;
  /** The fields of the answer that differ, as this server gives them. */
  readonly observed: Partial<ObservedAnswer>;
  /** Why, in a sentence, for the README. */
  readonly why: string;
}

/** The name of the subscription test, for differences that concern it. */
export const SUBSCRIPTION_CASE = 'graphql-ws subscription revoked mid-stream';

const HIVE = 'Hive Gateway 2 (proxy)';
const HIVE_STATUS =
  'The upstream enforces the scopes; the HTTP status of its answer does not cross the proxy, so a denial that leaves no data is answered 200 (same errors, codes, scopes and data). Failures of authentication are answered by the gateway itself, with their status and headers.';

const MERCURIUS = 'Mercurius 16';
const MERCURIUS_DEFAULTS = 'Mercurius 16, default errorFormatter';
const STRING_INDEX_WHY = "Mercurius' response serializer writes the list indexes of error paths as strings.";
const stringIndexPath = { errors: [{ code: 'FORBIDDEN', requiredScope: 'secrets.read', path: ['posts', '0', 'secret'] }] };
const CONTEXT_500_WHY =
  "Mercurius' error handler calls a context function that threw once more, and answers the second throw with a bare 500 (scopedMercuriusContext avoids it).";
const DENIAL_200_WHY = "Mercurius' default errorFormatter answers 200 to every executed operation, data or not (scopedErrorFormatter applies the status policy).";

/**
 * GraphQL Yoga 5 answers every case as Apollo Server 5 (the reference) does.
 * Hive Gateway's proxy loses the upstream's denial statuses. Mercurius with
 * the recipe (`scopedMercuriusContext`, `scopedErrorFormatter`) differs only
 * in how it serializes error paths; with its own defaults it also answers
 * denials 200 and bad credentials 500. Servers added to the matrix add their
 * entries here.
 */
export const EXPECTED_DIFFERENCES: readonly ExpectedDifference[] = [
  { server: HIVE, case: 'whole denial', variant: '*', observed: { status: 200 }, why: HIVE_STATUS },
  { server: HIVE, case: 'anonymous, scoped field', variant: '*', observed: { status: 200 }, why: HIVE_STATUS },
  { server: HIVE, case: 'partial denial below an allowed field', variant: "'operation' mode", observed: { status: 200 }, why: HIVE_STATUS },
  {
    server: HIVE,
    case: SUBSCRIPTION_CASE,
    variant: '*',
    observed: {},
    why: 'The proxy is started without a subscription transport to its upstream; subscriptions are served (and re-checked) by the upstream Yoga.',
  },
  { server: MERCURIUS, case: 'partial denial below an allowed field', variant: "'field' mode", observed: stringIndexPath, why: STRING_INDEX_WHY },
  { server: MERCURIUS_DEFAULTS, case: 'partial denial below an allowed field', variant: "'field' mode", observed: stringIndexPath, why: STRING_INDEX_WHY },
  ...['partial denial below an allowed field', 'whole denial', 'anonymous, scoped field'].map((caseName) => ({
    server: MERCURIUS_DEFAULTS,
    case: caseName,
    variant: caseName === 'partial denial below an allowed field' ? "'operation' mode" : '*',
    observed: { status: 200 },
    why: DENIAL_200_WHY,
  })),
  ...['malformed key', 'unknown key', 'revoked key', 'store outage'].map((caseName) => ({
    server: MERCURIUS_DEFAULTS,
    case: caseName,
    variant: '*',
    observed: { status: 500, errors: [], wwwAuthenticate: null, retryAfter: null },
    why: CONTEXT_500_WHY,
  })),
];

/** The differences that apply to one answer. */
export function differencesFor(server: string, caseName: string, variant: string): readonly ExpectedDifference[] {
  return EXPECTED_DIFFERENCES.filter(
    (difference) => difference.server === server && (difference.case === '*' || difference.case === caseName) && (difference.variant === '*' || difference.variant === variant),
  );
}

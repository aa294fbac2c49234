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

/**
 * GraphQL Yoga 5 answers every case as Apollo Server 5 (the reference) does.
 * Servers added to the matrix add their entries here.
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
];

/** The differences that apply to one answer. */
export function differencesFor(server: string, caseName: string, variant: string): readonly ExpectedDifference[] {
  return EXPECTED_DIFFERENCES.filter(
    (difference) => difference.server === server && (difference.case === '*' || difference.case === caseName) && (difference.variant === '*' || difference.variant === variant),
  );
}

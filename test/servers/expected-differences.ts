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

/**
 * Apollo Server 5 (the reference), GraphQL Yoga 5 and Hive Gateway answer
 * every case alike: no entries yet. Servers added to the matrix add theirs.
 */
export const EXPECTED_DIFFERENCES: readonly ExpectedDifference[] = [];

/** The differences that apply to one answer. */
export function differencesFor(server: string, caseName: string, variant: string): readonly ExpectedDifference[] {
  return EXPECTED_DIFFERENCES.filter(
    (difference) => difference.server === server && (difference.case === '*' || difference.case === caseName) && (difference.variant === '*' || difference.variant === variant),
  );
}

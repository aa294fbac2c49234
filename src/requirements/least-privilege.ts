/** One choice that {@link leastPrivilege} settled. */
export interface SettledChoice {
  /** The alternatives, sorted: any one of them would do. */
  readonly anyOf: readonly string[];
  /** The one picked (among the set's scopes). */
  readonly picked: string;
}

/** What {@link leastPrivilege} finds. */
export interface LeastPrivilege {
  /** The smallest scope set that meets everything, sorted. */
  readonly scopes: readonly string[];
  /** Each choice that `required` did not already meet, with the scope picked for it; empty when no choice was made. */
  readonly choices: readonly SettledChoice[];
}

/** Up to this many distinct alternatives, the smallest set is searched exhaustively; above, picked greedily. */
const EXHAUSTIVE_LIMIT = 16;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The subsets of `items` of size `size`, in lexicographic order, until `found` accepts one. */
function firstSubset(items: readonly string[], size: number, found: (subset: readonly string[]) => boolean): string[] | undefined {
  const picks: string[] = [];
  const search = (from: number): boolean => {
    if (picks.length === size) return found(picks);
    for (let index = from; index <= items.length - (size - picks.length); index += 1) {
      picks.push(items[index] as string);
      if (search(index + 1)) return true;
      picks.pop();
    }
    return false;
  };
  return search(0) ? [...picks] : undefined;
}

/**
 * The smallest scope set that holds every `required` scope and one scope of
 * each choice (`anyOf`): the least privilege of operations that need
 * `@scope(anyOf: …)` fields. A choice that a required scope meets needs
 * nothing more; the rest are settled with as few extra scopes as possible
 * (exhaustively up to 16 distinct alternatives, greedily above), ties going
 * to the alphabetically first. Each settled choice is reported, so that a
 * caller can say a choice was made.
 *
 * @example
 * ```ts
 * leastPrivilege(['posts.read'], [['posts.moderate', 'posts.read'], ['a.read', 'b.read']]);
 * // { scopes: ['a.read', 'posts.read'], choices: [{ anyOf: ['a.read', 'b.read'], picked: 'a.read' }] }
 * ```
 */
export function leastPrivilege(required: readonly string[], anyOf: readonly (readonly string[])[]): LeastPrivilege {
  const held = new Set(required);
  const open = anyOf.map((choice) => [...new Set(choice)].sort(compare)).filter((choice) => !choice.some((scope) => held.has(scope)));
  const candidates = [...new Set(open.flat())].sort(compare);
  const meetsAll = (set: readonly string[]): boolean => open.every((choice) => choice.some((scope) => set.includes(scope)));
  let extra: string[] = [];
  if (open.length > 0 && candidates.length <= EXHAUSTIVE_LIMIT) {
    for (let size = 1; size <= candidates.length; size += 1) {
      const found = firstSubset(candidates, size, meetsAll);
      if (found !== undefined) {
        extra = found;
        break;
      }
    }
  } else {
    let remaining = open;
    while (remaining.length > 0) {
      // The alternative that meets the most remaining choices; the alphabetically first on a tie.
      let best = '';
      let bestCount = 0;
      for (const scope of candidates) {
        const count = remaining.filter((choice) => choice.includes(scope)).length;
        if (count > bestCount) {
          best = scope;
          bestCount = count;
        }
      }
      extra.push(best);
      remaining = remaining.filter((choice) => !choice.includes(best));
    }
  }
  const choices = open.map((choice) => ({ anyOf: choice, picked: choice.find((scope) => extra.includes(scope)) as string }));
  const unique = new Map(choices.map((choice) => [choice.anyOf.join('|'), choice]));
  return { scopes: [...new Set([...required, ...extra])].sort(compare), choices: [...unique.values()] };
}

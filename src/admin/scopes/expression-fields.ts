import type { ScopeClauses } from '../../requirements/scope-expression';
import type { ScopeCatalog } from '../../scopes/scope-catalog';

/** A field whose requirement is an expression rather than one scope, as the catalogue lists it. */
export interface ExpressionField {
  /** The schema coordinate, `Query.report`. */
  readonly coordinate: string;
  /** The requirement as an AND of ORs (see `ScopeClauses`): every clause is needed, any one scope of a clause meets it. */
  readonly allOf: ScopeClauses;
}

/**
 * The fields of a catalogue whose requirement is an expression (`@scope`
 * repeated, or `anyOf`), once each, sorted by coordinate. It reads what
 * `discoverScopes` already computed: such a field is listed under every
 * scope it names, with the whole expression in `fields[].allOf`. A
 * hand-written catalogue without `fields` has none.
 */
export function expressionFields(catalog: ScopeCatalog): ExpressionField[] {
  const byCoordinate = new Map<string, ScopeClauses>();
  for (const { scopes } of catalog.resources) {
    for (const { fields } of scopes) {
      for (const { coordinate, allOf } of fields ?? []) if (allOf !== undefined && !byCoordinate.has(coordinate)) byCoordinate.set(coordinate, allOf);
    }
  }
  return [...byCoordinate]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([coordinate, allOf]) => ({ coordinate, allOf }));
}

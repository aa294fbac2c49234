import type { ScopeCatalog } from '../../scopes/scope-catalog';
import { type SafeHtml, html } from '../html';
import { isKnownGrant, offeredGrants } from '../scopes/admin-catalog';
import { scopeExpressions } from './scope-expressions';

/** What the scope checkboxes show. */
export interface ScopeChoices {
  /** The admin page's catalogue: the schema's scopes plus the admin scope. */
  readonly catalog: ScopeCatalog;
  /** The grants ticked. */
  readonly checked: ReadonlySet<string>;
  /**
   * Grants the record already had that the catalogue does not offer
   * (`*.read`, or a scope the schema no longer has): shown ticked under
   * "Other grants", kept unless unticked, never dropped silently.
   */
  readonly kept: readonly string[];
  /** The admin page's own scope, marked as such. */
  readonly adminScope: string;
  /** The error next to the checkboxes. */
  readonly error?: string;
}

/** The grants a scope form accepts: the offered checkboxes and the kept grants. */
export function acceptedGrants(catalog: ScopeCatalog, kept: readonly string[]): Set<string> {
  const accepted = offeredGrants(catalog);
  for (const grant of kept) accepted.add(grant);
  return accepted;
}

/** The grants of a record the catalogue's checkboxes do not offer, in order. */
export function grantsOutsideCatalog(catalog: ScopeCatalog, grants: readonly string[]): string[] {
  const offered = offeredGrants(catalog);
  return grants.filter((grant) => !offered.has(grant));
}

/**
 * The scope checkboxes, as GitHub's fine-grained tokens and Django admin
 * lay them out: `* (all scopes)` first, then one fieldset per resource
 * (legend: the resource) with a `resource.*` checkbox and one checkbox per
 * scope, each labelled with the scope itself; below them, the fields that
 * need more than one scope, with their expressions.
 */
export function scopeFieldsets({ catalog, checked, kept, adminScope, error }: ScopeChoices): SafeHtml {
  let counter = 0;
  const box = (grant: string, options: { wildcard?: boolean; catalogue?: boolean; note?: SafeHtml }) => {
    counter += 1;
    const id = `scope-${counter}`;
    return html`<div class="choice"><input type="checkbox" id="${id}" name="scope" value="${grant}"${checked.has(grant) ? html` checked` : ''}${
      options.wildcard ? html` data-wildcard` : ''
    }${options.catalogue ? html` data-catalog` : ''}><label for="${id}">${grant === '*' ? '* (all scopes)' : grant}</label>${options.note ?? ''}</div>`;
  };
  const everything = box('*', { wildcard: true });
  const resources = catalog.resources.map(
    ({ resource, scopes }) => html`<fieldset data-resource="${resource}">
  <legend>${resource}</legend>
  ${box(`${resource}.*`, { wildcard: true, catalogue: true, note: html`<span class="unused">every action</span>` })}
  ${scopes.map((entry) =>
    box(entry.scope, {
      catalogue: true,
      ...(entry.scope === adminScope
        ? { note: html`<span class="unused">signs in to this page</span>` }
        : entry.used
          ? {}
          : { note: html`<span class="unused" title="No field of the schema requires it.">unused</span>` }),
    }),
  )}
</fieldset>`,
  );
  const others =
    kept.length === 0
      ? ''
      : html`<fieldset class="kept">
  <legend>Other grants</legend>
  ${kept.map((grant) => box(grant, isKnownGrant(catalog, grant) ? {} : { note: html`<span class="flag">not in the schema</span>` }))}
</fieldset>`;
  return html`<fieldset class="scopes"${error === undefined ? '' : html` aria-describedby="scopes-error"`}>
  <legend>Scopes</legend>
  ${error === undefined ? '' : html`<p class="error" id="scopes-error" role="alert">${error}</p>`}
  ${everything}
  ${resources}
  ${others}
  ${scopeExpressions(catalog)}
</fieldset>`;
}

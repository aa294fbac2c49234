import type { ScopeClauses } from '../../requirements/scope-expression';
import type { ScopeCatalog } from '../../scopes/scope-catalog';
import { type SafeHtml, html } from '../html';
import { expressionFields } from '../scopes/expression-fields';

/** How many fields the list shows open; a longer list starts folded. */
const OPEN_UP_TO = 12;

function scopeCode(scope: string): SafeHtml {
  return html`<code>${scope}</code>`;
}

/** One clause: a scope, or its alternatives joined with "or" (in brackets when other clauses follow or precede). */
function clauseHtml(clause: readonly string[], bracketed: boolean): SafeHtml {
  const alternatives = clause.map((scope, index) => html`${index === 0 ? '' : ' or '}${scopeCode(scope)}`);
  return clause.length > 1 && bracketed ? html`(${alternatives})` : html`${alternatives}`;
}

/**
 * An expression as it reads on the page: `billing.read and customers.read`,
 * `posts.moderate or posts.read`, `(a or b) and c`. Every scope is escaped
 * text inside `<code>`.
 */
export function expressionHtml(allOf: ScopeClauses): SafeHtml {
  return html`${allOf.map((clause, index) => html`${index === 0 ? '' : ' and '}${clauseHtml(clause, allOf.length > 1)}`)}`;
}

/**
 * Below the scope checkboxes: the fields that need more than one scope
 * (`@scope` repeated, or `anyOf`), each with its expression, so that an
 * admin sees that ticking one of their scopes is not enough (or that one
 * of several is). Nothing when the schema has none.
 */
export function scopeExpressions(catalog: ScopeCatalog): SafeHtml {
  const fields = expressionFields(catalog);
  if (fields.length === 0) return html``;
  return html`<details class="expressions"${fields.length <= OPEN_UP_TO ? html` open` : ''}>
  <summary>${String(fields.length)} ${fields.length === 1 ? 'field needs' : 'fields need'} more than one scope</summary>
  <ul>
  ${fields.map(({ coordinate, allOf }) => html`<li><code class="coordinate">${coordinate}</code> needs ${expressionHtml(allOf)}</li>`)}
  </ul>
</details>`;
}

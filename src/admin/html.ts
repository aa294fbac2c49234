// The one place where the admin page escapes text. Every page is built with
// the `html` tagged template: interpolated values are escaped unless they are
// `SafeHtml` made by `html` itself, so no template can skip escaping and no
// page builds markup by concatenating strings.

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const SPECIAL = /[&<>"']/g;

/**
 * Escapes text for HTML content and for quoted attribute values: `&`, `<`,
 * `>`, `"` and `'`.
 *
 * @example
 * ```ts
 * escapeHtml('<img src=x onerror=alert(1)>'); // '&lt;img src=x onerror=alert(1)&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(SPECIAL, (character) => ESCAPES[character] ?? character);
}

// Only this module holds the token, so only `html` can make SafeHtml.
const TOKEN = Symbol('SafeHtml');

/** Markup that is already safe. Only {@link html} makes it; its constructor refuses any other caller. */
export class SafeHtml {
  readonly #markup: string;

  constructor(token: symbol, markup: string) {
    if (token !== TOKEN) throw new TypeError('SafeHtml is made by the html template only.');
    this.#markup = markup;
  }

  /** The markup. */
  toString(): string {
    return this.#markup;
  }
}

/**
 * A value a template may interpolate: text (escaped), a number, `SafeHtml`
 * (kept), a list of those (each handled alike, joined), or `null`,
 * `undefined` and `false` (nothing), so `${cond && html`…`}` works.
 */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (typeof value === 'number') return escapeHtml(String(value));
  if (typeof value === 'string') return escapeHtml(value);
  // Anything else (an object smuggled past the types) is refused rather than printed.
  throw new TypeError('html: only strings, numbers, SafeHtml and lists of them can be interpolated.');
}

/**
 * The escaping tagged template. Literal parts are the template's own
 * markup; every interpolated value is escaped (see {@link HtmlValue}).
 * Attribute values must be written in double quotes.
 *
 * @example
 * ```ts
 * const row = html`<td>${key.name}</td>`; // a name like <script> is shown as text
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  for (let index = 0; index < values.length; index += 1) {
    markup += render(values[index] as HtmlValue) + (strings[index + 1] ?? '');
  }
  return new SafeHtml(TOKEN, markup);
}

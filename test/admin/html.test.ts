import { type HtmlValue, SafeHtml, escapeHtml, html } from '../../src/admin/html';

describe('escapeHtml', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['"><script>alert(1)</script>', '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'],
    ["' onmouseover='alert(1)", '&#39; onmouseover=&#39;alert(1)'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['&lt;already&gt;', '&amp;lt;already&amp;gt;'],
    ['plain text', 'plain text'],
  ])('escapes %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('the html template', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const name = '<img src=x onerror=alert(1)>';
    const out = html`<td title="${name}">${name}</td>`.toString();
    expect(out).toBe('<td title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(out).not.toMatch(/<img/);
  });

  it('cannot be broken out of a double-quoted attribute', () => {
    const out = html`<input value="${'" autofocus onfocus="alert(1)'}">`.toString();
    expect(out).toBe('<input value="&quot; autofocus onfocus=&quot;alert(1)">');
  });

  it('keeps nested templates as markup, without escaping them twice', () => {
    const cell = html`<b>${'a<b'}</b>`;
    expect(html`<td>${cell}</td>`.toString()).toBe('<td><b>a&lt;b</b></td>');
  });

  it('joins lists, and renders null, undefined and false as nothing', () => {
    const items: HtmlValue[] = ['<1>', html`<i>2</i>`, null, undefined, false, 3];
    expect(html`<p>${items}</p>`.toString()).toBe('<p>&lt;1&gt;<i>2</i>3</p>');
  });

  it('refuses an object smuggled past the types rather than printing it', () => {
    const smuggled = { toString: () => '<script>' } as unknown as string;
    expect(() => html`${smuggled}`).toThrow(TypeError);
  });

  it('makes SafeHtml only through the template: the constructor refuses other callers', () => {
    const forged = () => new SafeHtml(Symbol('SafeHtml'), '<script>alert(1)</script>');
    expect(forged).toThrow(TypeError);
  });
});

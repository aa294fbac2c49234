/**
 * The admin page's only script, served by the handler itself (CSP
 * `script-src 'self'`). Progressive enhancement only: every page works
 * without it. It writes no markup (the CSP enforces Trusted Types), only
 * text, values and flags.
 *
 * - A copy button for the new key.
 * - The new key's field is emptied when the page is left, so the
 *   back/forward cache cannot show it again.
 * - Ticking `resource.*` (or `*`) ticks and locks the catalogue checkboxes it
 *   covers (never the "not in the schema" ones, which are kept as they are).
 */
export const ADMIN_SCRIPT = `'use strict';
(function () {
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      field.select();
      var done = function () { button.textContent = 'Copied'; };
      var fallback = function () { if (document.execCommand('copy')) done(); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(field.value).then(done, fallback);
      else fallback();
    });
  });

  window.addEventListener('pagehide', function () {
    document.querySelectorAll('input[data-one-time]').forEach(function (field) {
      field.value = '';
      field.removeAttribute('value');
    });
  });

  function covered(wildcard) {
    var all = Array.prototype.slice.call(document.querySelectorAll('input[type=checkbox][data-catalog]'));
    if (wildcard.value === '*') return all.filter(function (box) { return box !== wildcard; });
    var resource = wildcard.value.slice(0, -2);
    return all.filter(function (box) { return box !== wildcard && box.value.indexOf(resource + '.') === 0; });
  }
  function apply(wildcard) {
    covered(wildcard).forEach(function (box) {
      var locks = Number(box.getAttribute('data-locks') || '0');
      if (wildcard.checked) {
        if (locks === 0) box.setAttribute('data-was-checked', box.checked ? '1' : '0');
        box.setAttribute('data-locks', String(locks + 1));
        box.checked = true;
        box.disabled = true;
      } else if (locks > 0) {
        box.setAttribute('data-locks', String(locks - 1));
        if (locks === 1) {
          box.disabled = false;
          box.checked = box.getAttribute('data-was-checked') === '1';
        }
      }
    });
  }
  var wildcards = Array.prototype.slice.call(document.querySelectorAll('input[type=checkbox][data-wildcard]'));
  wildcards.forEach(function (wildcard) {
    if (wildcard.checked) apply(wildcard);
    wildcard.addEventListener('change', function () { apply(wildcard); });
  });
})();
`;

/** The admin page's stylesheet, served by the handler itself (CSP `style-src 'self'`). */
export const ADMIN_STYLE = `:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0b5fff; --danger: #b3261e; --ok: #1a7f37; --paper: #fff; --wash: #f6f8fa; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--wash); }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; background: #24292f; color: #fff; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-weight: 600; }
header.top nav { display: flex; gap: 1rem; flex: 1; }
header.top nav a[aria-current=page] { text-decoration: underline; text-underline-offset: .3em; }
header.top form { display: flex; align-items: center; gap: .6rem; margin: 0; color: #d0d7de; font-size: .9rem; }
main { max-width: 72rem; margin: 1.5rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; }
.toolbar { display: flex; gap: 1rem; align-items: flex-end; justify-content: space-between; margin-bottom: 1rem; flex-wrap: wrap; }
.toolbar form { display: flex; gap: .5rem; align-items: flex-end; }
table { width: 100%; border-collapse: collapse; background: var(--paper); border: 1px solid var(--line); }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--wash); font-weight: 600; font-size: .85rem; color: var(--muted); }
td.empty { color: var(--muted); text-align: center; padding: 1.5rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.status { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-size: .8rem; border: 1px solid currentColor; white-space: nowrap; }
td[data-label="Actions"] a, td[data-label="Rate limit"] { white-space: nowrap; }
.status-active { color: var(--ok); }
.status-expired { color: var(--muted); }
.status-revoked { color: var(--danger); }
a.button, button { display: inline-block; font: inherit; padding: .35rem .9rem; border-radius: 6px; border: 1px solid var(--line); background: var(--paper); color: var(--ink); cursor: pointer; text-decoration: none; }
a.button.primary, button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
header.top button { padding: .15rem .6rem; }
.field { margin: 0 0 1rem; }
.field label, .label { display: block; font-weight: 600; margin-bottom: .25rem; }
input[type=text], input[type=search], input[type=password], input[type=date] { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; min-width: 18rem; }
input.key { width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.hint { color: var(--muted); font-size: .85rem; margin: .2rem 0 0; }
.error { color: var(--danger); font-weight: 600; margin: .25rem 0 0; }
.notice { border-left: 4px solid var(--accent); background: var(--paper); padding: .6rem 1rem; margin: 0 0 1rem; }
.warning { border-left: 4px solid #bf8700; background: #fff8c5; padding: .6rem 1rem; margin: 0 0 1rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: .5rem 1rem .75rem; background: var(--paper); }
fieldset fieldset { display: inline-block; vertical-align: top; min-width: 14rem; margin: .5rem .75rem .5rem 0; background: var(--wash); }
legend { font-weight: 600; padding: 0 .3rem; }
.choice { display: flex; gap: .4rem; align-items: baseline; margin: .15rem 0; }
.choice label { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9rem; }
.flag { font-size: .75rem; color: var(--danger); border: 1px solid currentColor; border-radius: 1rem; padding: 0 .4rem; }
.unused { font-size: .75rem; color: var(--muted); }
details.expressions { margin: .5rem 0 0; font-size: .9rem; }
details.expressions summary { cursor: pointer; font-weight: 600; }
details.expressions ul { margin: .3rem 0 0; padding-left: 1.2rem; }
details.expressions li { margin: .15rem 0; }
.pages { display: flex; gap: 1rem; margin-top: 1rem; }
.actions { display: flex; gap: .75rem; align-items: center; margin-top: 1rem; }
ul.members { list-style: none; padding: 0; margin: 0 0 1rem; }
ul.members li { display: flex; gap: 1rem; align-items: center; padding: .3rem 0; border-bottom: 1px solid var(--line); }
ul.members form { margin: 0; }
.inline { display: inline; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
dl.panel { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.panel dt { font-weight: 600; }
dl.panel dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: .75rem; color: var(--muted); border: 1px solid var(--line); border-radius: 1rem; padding: 0 .45rem; margin-left: .3rem; white-space: nowrap; }
.badge.owner { color: #6639ba; border-color: #d8b9ff; }
.expiry-row { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
fieldset.presets { display: flex; flex-wrap: wrap; gap: .15rem 1rem; border: 0; padding: 0; margin: 0; background: none; }
.presets .choice label, fieldset .choice label { font-family: inherit; }
ul.changes { margin: 0; padding-left: 1rem; }
ul.changes .field-name { font-weight: 600; }
td, dd, .mono { overflow-wrap: anywhere; }
.toolbar form.filters { flex-wrap: wrap; }
@media (max-width: 40rem) {
  header.top { flex-wrap: wrap; gap: .5rem 1rem; padding: .6rem 1rem; }
  header.top nav { flex: 1 1 100%; order: 3; }
  main { padding: 0 .75rem; margin: 1rem auto; }
  input[type=text], input[type=search], input[type=password], input[type=date] { min-width: 0; width: 100%; }
  .toolbar form { flex-wrap: wrap; width: 100%; }
  .toolbar form > div { flex: 1 1 100%; }
  fieldset fieldset { display: block; min-width: 0; margin-right: 0; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  table.stack tr { border-bottom: 2px solid var(--line); padding: .35rem 0; }
  table.stack td { border: 0; padding: .15rem .6rem; display: grid; grid-template-columns: 6.5rem 1fr; gap: .5rem; }
  table.stack td[data-label]::before { content: attr(data-label); font-weight: 600; color: var(--muted); font-size: .85rem; }
  table.stack td.empty { display: block; }
  dl.panel { grid-template-columns: 1fr; }
  dl.panel dd { margin-bottom: .4rem; }
}
`;

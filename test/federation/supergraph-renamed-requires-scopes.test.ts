import { buildASTSchema, parse } from 'graphql';
import { withSupergraphEnforcement } from '../../src/federation/supergraph-enforcement';
import { checkOperation } from '../../src/operation/check-operation';
import { compose } from './compose';

// Review of issue 17, finding for src/federation/supergraph-enforcement.ts (owned by the issue-19-gateway work, not edited here):
// a subgraph may import @requiresScopes under another name; @apollo/composition keeps that name in the supergraph
// (`@link(url: ".../requiresScopes/v0.1", import: [{ name: "@requiresScopes", as: "@needs" }])`, `a: Int @needs(...)`),
// and the gateway check, which reads the directive by the name `requiresScopes` only, lets the operation through.
// `it.failing` passes while the hole is open; once the enforcement reads the name the supergraph's @link gives, it fails:
// turn it into a plain `it` then.
it.failing('the gateway refuses a field whose @requiresScopes the subgraph imported under another name', () => {
  const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", { name: "@requiresScopes", as: "@needs" }])
    type Query { a: Int @needs(scopes: [["a.read"]]) }`;
  const supergraph = compose('apollo', [{ name: 'a', sdl }]);
  expect(supergraph).toContain('a: Int @needs(scopes: [["a.read"]])');
  const schema = withSupergraphEnforcement(buildASTSchema(parse(supergraph), { assumeValidSDL: true }));
  const check = checkOperation({ schema, document: parse('{ a }'), principal: { kind: 'apiKey', id: 'k', scopes: new Set() } });
  expect(check.allowed).toBe(false);
});

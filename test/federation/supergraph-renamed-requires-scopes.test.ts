import { buildASTSchema, type GraphQLSchema, parse } from 'graphql';
import { requiresScopesNames } from '../../src/federation/requires-scopes-names';
import { withSupergraphEnforcement } from '../../src/federation/supergraph-enforcement';
import { checkOperation } from '../../src/operation/check-operation';
import type { Principal } from '../../src/principal/principal';
import { compose } from './compose';

// Review of issue 17: a subgraph may import @requiresScopes under another name, and @apollo/composition keeps that
// name in the supergraph (`@link(url: ".../requiresScopes/v0.1", import: [{ name: "@requiresScopes", as: "@needs" }])`,
// `a: Int @needs(...)`). A gateway that read only the name `requiresScopes` let `{ a }` through with no scope.

const RENAMED_SUBGRAPH = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", { name: "@requiresScopes", as: "@needs" }])
  type Query { a: Int @needs(scopes: [["a.read"]]) b: Int }`;

const principal = (...scopes: string[]): Principal => ({ kind: 'apiKey', id: 'k', scopes: new Set(scopes) });
const served = (supergraph: string): GraphQLSchema => withSupergraphEnforcement(buildASTSchema(parse(supergraph), { assumeValidSDL: true }));

/** A hand-written supergraph head: the link to requiresScopes with `link` arguments, and the directive's definition under `name`. */
const handWritten = (linkArguments: string, name: string): string => `
  schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY${linkArguments}) { query: Query }
  directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
  scalar link__Import
  enum link__Purpose { SECURITY EXECUTION }
  scalar Scope
  directive @${name}(scopes: [[Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  type Query { a: Int @${name}(scopes: [["a.read"]]) b: Int }
`;

describe('a supergraph whose @requiresScopes goes by another name', () => {
  it.each(['apollo', 'guild'] as const)('composed by %s: { a } needs a.read at the gateway, { b } needs nothing', (composer) => {
    const schema = served(compose(composer, [{ name: 'a', sdl: RENAMED_SUBGRAPH }]));
    expect(checkOperation({ schema, document: parse('{ a }'), principal: principal() }).allowed).toBe(false);
    expect(checkOperation({ schema, document: parse('{ a }'), principal: principal('a.read') }).allowed).toBe(true);
    expect(checkOperation({ schema, document: parse('{ b }'), principal: principal() }).allowed).toBe(true);
  });

  it.each([
    ['imported under another name', `, import: [{ name: "@requiresScopes", as: "@needs" }]`, 'needs'],
    ['a renamed namespace (as:)', `, as: "auth"`, 'auth'],
    ['a renamed namespace, prefixed form', `, as: "auth"`, 'auth__requiresScopes'],
    ['imported by its own name', `, import: ["@requiresScopes"]`, 'requiresScopes'],
  ])('hand-written, %s: read, and refused without the scope', (_case, linkArguments, name) => {
    const schema = served(handWritten(linkArguments, name));
    expect(requiresScopesNames(schema)).toContain(name);
    expect(checkOperation({ schema, document: parse('{ a }'), principal: principal() }).denied.map((denial) => denial.requiredScope)).toEqual(['a.read']);
  });

  it('a directive under another name is still checked strictly (bad scopes refuse the supergraph)', () => {
    expect(() => served(handWritten(`, import: [{ name: "@requiresScopes", as: "@needs" }]`, 'needs').replace('"a.read"', '"a.*"'))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SCOPE' }));
  });

  it('a directive the link does not name is not read as @requiresScopes', () => {
    const schema = served(handWritten('', 'requiresScopes').replace('type Query', 'directive @other(scopes: [[String!]!]!) on FIELD_DEFINITION\n  type Query').replace('b: Int', 'b: Int @other(scopes: [["b.read"]])'));
    expect(requiresScopesNames(schema)).not.toContain('other');
    expect(checkOperation({ schema, document: parse('{ b }'), principal: principal() }).allowed).toBe(true);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { buildASTSchema, type GraphQLSchema, parse } from 'graphql';
import { createScopedContext } from '../../src/auth/create-scoped-context';
import { scopeDirective } from '../../src/directive/scope-directive';
import { useGatewayScopedPermissions } from '../../src/envelop/use-gateway-scoped-permissions';
import { printSubgraphSchemaWithScopes } from '../../src/federation/print-subgraph-schema-with-scopes';
import { supergraphEnforcement } from '../../src/federation/supergraph-enforcement';
import { collectRequirements } from '../../src/requirements/collect-requirements';
import type { FieldRequirement } from '../../src/requirements/field-requirement';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { listen } from '../servers/listen';
import { type Composer, compose, supergraphRequiresScopes } from './compose';

// End to end: subgraphs written with `@scope(anyOf: [...])` and a repeated `@scope`, printed with our printer,
// composed by both composers, served by a real Hive Gateway with useGatewayScopedPermissions, which reads the
// supergraph's @requiresScopes (an OR of ANDs) back into the same requirements the subgraphs enforce.

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])';
const quiet = { onWarning: () => undefined };
const gatewayKeys = generateKeyPairSync('ed25519');
const FORWARD = { privateKey: gatewayKeys.privateKey, issuer: 'gateway', audience: 'subgraphs', ttlMs: 60_000 };
const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

const reportsTypeDefs = /* GraphQL */ `
  type Query {
    "(a or b) and c"
    report: String @scope(anyOf: ["a.read", "b.read"]) @scope(resource: "c")
    "a and c"
    audit: String @scope(resource: "a") @scope(resource: "c")
    "a or c"
    either: String @scope(anyOf: ["a.read", "c.read"])
    "a or b"
    reports: [Report!]! @scope(anyOf: ["a.read", "b.read"])
  }
  type Report @key(fields: "id") {
    id: ID!
    title: String!
  }
`;

const notesTypeDefs = /* GraphQL */ `
  type Report @key(fields: "id") {
    id: ID!
    "a and c, in the other subgraph"
    notes: String @scope(resource: "a") @scope(resource: "c")
  }
`;

type Row = { id: string };
const REPORTS = [{ id: 'r1', title: 'Q3' }];

function buildSubgraph(typeDefs: string, resolvers: Record<string, unknown>): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', quiet);
  return scopeDirectiveTransformer(buildSubgraphSchema({ typeDefs: parse(`${LINK}\n${scopeDirectiveTypeDefs}\n${typeDefs}`), resolvers: resolvers as GraphQLResolverMap<unknown> }));
}

const buildReports = () =>
  buildSubgraph(reportsTypeDefs, {
    Query: { report: () => 'report', audit: () => 'audit', either: () => 'either', reports: () => REPORTS },
    Report: { __resolveReference: (reference: Row) => REPORTS.find((report) => report.id === reference.id) ?? null },
  });
const buildNotes = () => buildSubgraph(notesTypeDefs, { Report: { __resolveReference: (reference: Row) => ({ id: reference.id }), notes: (report: Row) => `notes of ${report.id}` } });

/** A subgraph served by Apollo Server that trusts only the gateway's forwarded token, and counts its requests. */
async function serveSubgraph(schema: GraphQLSchema): Promise<{ url: string; requests: () => number; stop(): Promise<void> }> {
  let requests = 0;
  const context = createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: FORWARD.issuer, audience: FORWARD.audience } });
  const server = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      requests += 1;
      return context({ req });
    },
  });
  return { url, requests: () => requests, stop: async () => { await server.stop(); await context.dispose(); } };
}

interface Reply {
  readonly status: number;
  readonly data: unknown;
  readonly codes: readonly unknown[];
}

async function post(url: string, query: string, key: string): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } };
}

async function ask(url: string, query: string, key: string): Promise<Reply> {
  const { status, body } = await post(url, query, key);
  return { status, data: body.data ?? null, codes: (body.errors ?? []).map((error) => error.extensions?.code) };
}

// `a.* c.*`: wildcards, which the gateway matches and forwards expanded through the supergraph's catalogue, so that the subgraphs agree.
const PRINCIPALS: Record<string, string[]> = { 'a only': ['a.read'], 'c only': ['c.read'], 'a+c': ['a.read', 'c.read'], 'b+c': ['b.read', 'c.read'], 'a.* c.*': ['a.*', 'c.*'] };

// [query, principal, allowed, data when allowed]
const MATRIX: [string, string, boolean, unknown][] = [
  ['{ report }', 'a only', false, null],
  ['{ report }', 'c only', false, null],
  ['{ report }', 'a+c', true, { report: 'report' }],
  ['{ report }', 'b+c', true, { report: 'report' }],
  ['{ audit }', 'a only', false, null],
  ['{ audit }', 'c only', false, null],
  ['{ audit }', 'a+c', true, { audit: 'audit' }],
  ['{ audit }', 'b+c', false, null],
  ['{ either }', 'a only', true, { either: 'either' }],
  ['{ either }', 'c only', true, { either: 'either' }],
  ['{ either }', 'a+c', true, { either: 'either' }],
  ['{ either }', 'b+c', true, { either: 'either' }],
  ['{ reports { title notes } }', 'a only', false, null],
  ['{ reports { title notes } }', 'c only', false, null],
  ['{ reports { title notes } }', 'a+c', true, { reports: [{ title: 'Q3', notes: 'notes of r1' }] }],
  ['{ reports { title notes } }', 'b+c', false, null],
  ['{ reports { title } }', 'b+c', true, { reports: [{ title: 'Q3' }] }],
  ['{ report audit either }', 'a.* c.*', true, { report: 'report', audit: 'audit', either: 'either' }],
  ['{ reports { title notes } }', 'a.* c.*', true, { reports: [{ title: 'Q3', notes: 'notes of r1' }] }],
];

describe.each<Composer>(['apollo', 'guild'])('expressions through Hive Gateway, composed with %s', (composer) => {
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  const gatewayContext = createScopedContext({ store });
  const keys: Record<string, string> = {};
  const stops: (() => Promise<void>)[] = [];
  let reports: Awaited<ReturnType<typeof serveSubgraph>>;
  let notes: Awaited<ReturnType<typeof serveSubgraph>>;
  let gatewayUrl = '';
  let supergraph = '';

  beforeAll(async () => {
    stops.push(() => gatewayContext.dispose());
    reports = await serveSubgraph(buildReports());
    stops.push(() => reports.stop());
    notes = await serveSubgraph(buildNotes());
    stops.push(() => notes.stop());
    supergraph = compose(composer, [
      { name: 'reports', sdl: printSubgraphSchemaWithScopes(buildReports()), url: reports.url },
      { name: 'notes', sdl: printSubgraphSchemaWithScopes(buildNotes()), url: notes.url },
    ]);
    const runtime = createGatewayRuntime({ supergraph, logging: false, plugins: () => [useGatewayScopedPermissions({ context: gatewayContext, forward: FORWARD })] });
    stops.push(async () => { await runtime.dispose(); });
    const gateway = await listen((req, res) => void runtime(req, res));
    stops.push(() => gateway.close());
    gatewayUrl = gateway.url;
    for (const [name, scopes] of Object.entries(PRINCIPALS)) keys[name] = (await store.createApiKey({ name: name.replace(/\W/g, '-'), scopes })).key;
  }, 60_000);

  afterAll(async () => {
    // Last started, first stopped; whatever beforeAll reached.
    for (const stop of stops.reverse()) await stop();
  });

  it('the supergraph carries each expression as an OR of ANDs', () => {
    expect(supergraphRequiresScopes(supergraph)).toEqual({
      'Query.report': [['a.read', 'c.read'], ['b.read', 'c.read']],
      'Query.audit': [['a.read', 'c.read']],
      'Query.either': [['a.read'], ['c.read']],
      'Query.reports': [['a.read'], ['b.read']],
      'Report.notes': [['a.read', 'c.read']],
    });
  });

  it('the gateway reads back the very requirements the subgraphs enforce', () => {
    // The same clauses and the same fast-path scope; only how an action was chosen (a default) is the subgraph's to know.
    const shape = (requirement: FieldRequirement) => [requirement.coordinate, { allOf: requirement.allOf, scope: requirement.scope, scopes: requirement.scopes.map((named) => named.scope) }];
    const gatewaySide = Object.fromEntries(supergraphEnforcement(buildASTSchema(parse(supergraph), { assumeValidSDL: true })).requirements.map(shape));
    const subgraphSide = Object.fromEntries([buildReports(), buildNotes()].flatMap((schema) => [...collectRequirements(schema).values()]).map(shape));
    expect(gatewaySide).toEqual(subgraphSide);
    expect(Object.keys(gatewaySide)).toHaveLength(5);
  });

  // [principal, what is missing for { report }, needing (a or b) and c]
  it.each<[string, Record<string, unknown>]>([
    ['a only', { missingScopes: ['c.read'] }],
    ['c only', { missingScopes: [], missingAnyOf: [['a.read', 'b.read']] }],
  ])('{ report } as %s names what is missing: %j', async (principal, missing) => {
    const { body } = await post(gatewayUrl, '{ report }', keys[principal] ?? '');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', ...missing });
  });

  it.each(MATRIX)('%s as %s: allowed %s', async (query, principal, allowed, data) => {
    const before = reports.requests() + notes.requests();
    const reply = await ask(gatewayUrl, query, keys[principal] ?? '');
    if (allowed) {
      expect(reply).toEqual({ status: 200, data, codes: [] });
      expect(reports.requests() + notes.requests()).toBeGreaterThan(before);
    } else {
      // Refused whole at the gateway, before planning: no subgraph is asked.
      expect(reply).toEqual({ status: 403, data: null, codes: ['FORBIDDEN'] });
      expect(reports.requests() + notes.requests()).toBe(before);
    }
  });
});

describe.each<Composer>(['apollo', 'guild'])('a supergraph the gateway cannot check faithfully, composed with %s', (composer) => {
  // `[[]]` composes (Apollo Router lets everyone through it); the plugin refuses the schema, so Hive Gateway serves nothing.
  it('is never served: every request fails closed, and no subgraph is asked', async () => {
    const subgraph = await serveSubgraph(buildReports());
    const gatewayContext = createScopedContext({ store: new MemoryScopeStore({ hashOptions: CHEAP_HASH }) });
    const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requiresScopes"])\ntype Query { open: String @requiresScopes(scopes: [[]]) }`;
    const runtime = createGatewayRuntime({ supergraph: compose(composer, [{ name: 'open', sdl, url: subgraph.url }]), logging: false, plugins: () => [useGatewayScopedPermissions({ context: gatewayContext })] });
    try {
      const response = await runtime.fetch('http://gateway.invalid/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ open }' }) });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
      expect([response.status, body.data ?? null, body.errors?.map((error) => error.extensions?.code)]).toEqual([500, null, ['INTERNAL_SERVER_ERROR']]);
      expect(subgraph.requests()).toBe(0);
    } finally {
      await runtime.dispose();
      await gatewayContext.dispose();
      await subgraph.stop();
    }
  });
});

import { graphql, type GraphQLError } from 'graphql';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import type { Principal } from '../../src/principal/principal';
import { key } from '../operation/library-schema';
import { buildExpressionSchema } from './expression-schema';

const quiet = { onWarning: () => undefined };
const schemas = {
  field: buildExpressionSchema({ ...quiet, enforce: 'field' }),
  operation: buildExpressionSchema({ ...quiet, enforce: 'operation' }),
};

const legacy: Principal = { kind: 'apiKey', id: 'legacy', scopes: new Set(), unrestricted: true };
const principals: Record<string, Principal | undefined> = {
  none: undefined,
  postsReader: key('posts.read'),
  moderator: key('posts.moderate'),
  postsWildcard: key('posts.*'),
  readWildcard: key('*.read'),
  billingOnly: key('billing.read'),
  billingAndCustomers: key('billing.read', 'customers.read'),
  reportsAdminAnalytics: key('reports.admin', 'analytics.read'),
  reportsOnly: key('reports.read'),
  analyticsOnly: key('analytics.read'),
  adminReader: key('admin.read'),
  ownersOnly: key('owners.read'),
  ownersAndTeams: key('owners.read', 'teams.read'),
  legacy,
};

/** [path, code, what is missing: a scope, or a choice's alternatives joined with `|`]. */
type ErrorRow = [string, string, string];
interface Outcome {
  data: unknown;
  errors: ErrorRow[];
}

function missingOf(error: GraphQLError): string {
  const { requiredScope, anyOf, missingAnyOf } = error.extensions as { requiredScope?: string; anyOf?: string[]; missingAnyOf?: string[][] };
  return requiredScope ?? anyOf?.join('|') ?? (missingAnyOf ?? []).map((choice) => choice.join('|')).join(' ');
}

async function run(mode: EnforcementMode, principal: string, source: string): Promise<Outcome> {
  const result = await graphql({ schema: schemas[mode], source, contextValue: { principal: principals[principal] } });
  return { data: result.data ?? null, errors: (result.errors ?? []).map((error) => [(error.path ?? []).join('.'), String(error.extensions.code), missingOf(error)]) };
}

const F = 'FORBIDDEN';
const U = 'UNAUTHENTICATED';
const allowed = (data: unknown): Outcome => ({ data, errors: [] });
const feed = allowed({ feed: [{ title: 'T' }] });

// [case, principal, query, field mode, operation mode ('same' where the modes agree)]
const matrix: Array<[string, string, string, Outcome, Outcome | 'same']> = [
  ['OR, met by its first scope', 'postsReader', '{ feed { title } }', feed, 'same'],
  ['OR, met by its second scope', 'moderator', '{ feed { title } }', feed, 'same'],
  ['OR, met through resource.*', 'postsWildcard', '{ feed { title } }', feed, 'same'],
  ['OR, met through *.action', 'readWildcard', '{ feed { title } }', feed, 'same'],
  ['OR, unmet', 'billingOnly', '{ feed { title } }', { data: { feed: null }, errors: [['feed', F, 'posts.moderate|posts.read']] }, 'same'],
  ['OR, anonymous', 'none', '{ feed { title } }', { data: { feed: null }, errors: [['feed', U, 'posts.moderate|posts.read']] }, 'same'],
  ['AND, both held', 'billingAndCustomers', '{ invoice { total } }', allowed({ invoice: { total: 5 } }), 'same'],
  ['AND, one missing', 'billingOnly', '{ invoice { total } }', { data: { invoice: null }, errors: [['invoice', F, 'customers.read']] }, 'same'],
  ['AND, both missing: the first is named', 'postsReader', '{ invoice { total } }', { data: { invoice: null }, errors: [['invoice', F, 'billing.read']] }, 'same'],
  ['AND, through *.read', 'readWildcard', '{ invoice { total } }', allowed({ invoice: { total: 5 } }), 'same'],
  ['mixed, met', 'reportsAdminAnalytics', '{ report }', allowed({ report: 'R' }), 'same'],
  ['mixed, the AND part missing', 'reportsOnly', '{ report }', { data: { report: null }, errors: [['report', F, 'analytics.read']] }, 'same'],
  ['mixed, the OR part missing', 'analyticsOnly', '{ report }', { data: { report: null }, errors: [['report', F, 'reports.admin|reports.read']] }, 'same'],
  ['mixed, anonymous', 'none', '{ report }', { data: { report: null }, errors: [['report', U, 'analytics.read']] }, 'same'],
  [
    'OR on a nested field',
    'postsReader',
    '{ feed { title secret } }',
    { data: { feed: [{ title: 'T', secret: null }] }, errors: [['feed.0.secret', F, 'admin.read|posts.moderate']] },
    { data: { feed: null }, errors: [['feed', F, 'admin.read|posts.moderate']] },
  ],
  ['OR on a nested field, met by its other scope', 'moderator', '{ feed { title secret } }', allowed({ feed: [{ title: 'T', secret: 'S' }] }), 'same'],
  [
    'OR on a type, a field of it overridden by its own scope',
    'adminReader',
    '{ audit { entry raw } }',
    { data: { audit: { entry: 'E', raw: null } }, errors: [['audit.raw', F, 'audit.raw']] },
    { data: { audit: null }, errors: [['audit', F, 'audit.raw']] },
  ],
  ['OR on a type, met', 'adminReader', '{ audit { entry } }', allowed({ audit: { entry: 'E' } }), 'same'],
  [
    'AND on an interface type, one missing',
    'ownersOnly',
    '{ asset { owner } }',
    { data: { asset: { owner: null } }, errors: [['asset.owner', F, 'teams.read']] },
    { data: { asset: null }, errors: [['asset', F, 'teams.read']] },
  ],
  ['AND on an interface type, met', 'ownersAndTeams', '{ asset { owner } }', allowed({ asset: { owner: 'O' } }), 'same'],
  ['a legacy unrestricted key meets every expression', 'legacy', '{ feed { secret } invoice { total } report }', allowed({ feed: [{ secret: 'S' }], invoice: { total: 5 }, report: 'R' }), 'same'],
];

describe('scope expressions in both enforcement modes', () => {
  it.each(matrix)('%s (%s)', async (_case, principal, query, fieldOutcome, operationOutcome) => {
    expect(await run('field', principal, query)).toEqual(fieldOutcome);
    expect(await run('operation', principal, query)).toEqual(operationOutcome === 'same' ? fieldOutcome : operationOutcome);
  });

  it('operation mode names every missing scope and, apart, the unmet choices without claiming all their scopes', async () => {
    const result = await graphql({ schema: schemas.operation, source: '{ feed { title } invoice { total } report }', contextValue: { principal: key('billing.read') } });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: F,
      requiredScope: 'customers.read',
      missingScopes: ['customers.read', 'analytics.read'],
      missingAnyOf: [['posts.moderate', 'posts.read'], ['reports.admin', 'reports.read']],
    });
  });

  it('operation mode leaves out a choice that a missing scope already meets', async () => {
    const result = await graphql({ schema: schemas.operation, source: '{ feed { title secret } }', contextValue: { principal: key('posts.read') } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: F, missingScopes: [], missingAnyOf: [['admin.read', 'posts.moderate']] });
    expect(result.errors?.[0]?.extensions).not.toHaveProperty('requiredScope');
  });
});

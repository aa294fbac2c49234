import { parse } from 'graphql';
import { checkOperation } from '../../src/operation/check-operation';
import { explainOperation } from '../../src/operation/explain-operation';
import { buildExpressionSchema } from '../directive/expression-schema';
import { key } from './library-schema';

const schema = buildExpressionSchema({ onWarning: () => undefined, enforce: 'operation' });
const document = parse('{ feed { title secret } invoice { total } report }');

describe('checkOperation and explainOperation with expressions', () => {
  it('lists what is needed for sure apart from the choices', () => {
    const check = checkOperation({ schema, document, principal: key('posts.read', 'billing.read', 'customers.read', 'analytics.read', 'reports.read', 'admin.read') });
    expect(check).toEqual({
      allowed: true,
      denied: [],
      required: ['analytics.read', 'billing.read', 'customers.read'],
      anyOf: [['admin.read', 'posts.moderate'], ['posts.moderate', 'posts.read'], ['reports.admin', 'reports.read']],
    });
  });

  it('denies one entry per unmet clause: requiredScope for a scope, anyOf for a choice, with the whole expression in allOf', () => {
    const check = checkOperation({ schema, document, principal: key('posts.read', 'billing.read') });
    expect(check.allowed).toBe(false);
    expect(check.denied).toEqual([
      { path: ['feed', 'secret'], coordinate: 'Post.secret', anyOf: ['admin.read', 'posts.moderate'], code: 'FORBIDDEN' },
      { path: ['invoice'], coordinate: 'Query.invoice', requiredScope: 'customers.read', allOf: [['billing.read'], ['customers.read']], code: 'FORBIDDEN' },
      { path: ['report'], coordinate: 'Query.report', requiredScope: 'analytics.read', allOf: [['analytics.read'], ['reports.admin', 'reports.read']], code: 'FORBIDDEN' },
      { path: ['report'], coordinate: 'Query.report', anyOf: ['reports.admin', 'reports.read'], allOf: [['analytics.read'], ['reports.admin', 'reports.read']], code: 'FORBIDDEN' },
    ]);
  });

  it('explains each clause of each selection', () => {
    const explanation = explainOperation({ schema, document: parse('{ feed { title } invoice { total } }') });
    expect(explanation.required).toEqual(['billing.read', 'customers.read']);
    expect(explanation.anyOf).toEqual([['posts.moderate', 'posts.read']]);
    expect(explanation.selections).toEqual([
      { path: ['feed'], coordinate: 'Query.feed', anyOf: ['posts.moderate', 'posts.read'] },
      { path: ['invoice'], coordinate: 'Query.invoice', requiredScope: 'billing.read' },
      { path: ['invoice'], coordinate: 'Query.invoice', requiredScope: 'customers.read' },
    ]);
  });
});

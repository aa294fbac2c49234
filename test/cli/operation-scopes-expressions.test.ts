import { OperationTypeNode, parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { scopeDirective } from '../../src/directive/scope-directive';
import { formatOperationScopes, operationScopes } from '../../src/cli/operation-scopes';
import type { LoadedOperation } from '../../src/cli/load-operations';
import { buildExpressionSchema } from '../directive/expression-schema';

const schema = buildExpressionSchema({ onWarning: () => undefined });
const operation = (name: string, source: string): LoadedOperation => ({ name, type: OperationTypeNode.QUERY, file: 'client.graphql', document: parse(source) });

describe('least privilege of operations with expressions (scopes --operations)', () => {
  it('picks the smallest set, and says which choice was made', () => {
    const result = operationScopes(schema, [operation('Feed', 'query Feed { feed { title secret } }'), operation('Report', 'query Report { report invoice { total } }')]);
    // feed: posts.moderate | posts.read, secret: admin.read | posts.moderate: posts.moderate settles both.
    expect(result.scopes).toEqual(['analytics.read', 'billing.read', 'customers.read', 'posts.moderate', 'reports.admin']);
    expect(result.choices.map(({ anyOf, picked }) => [anyOf, picked])).toEqual([
      [['admin.read', 'posts.moderate'], 'posts.moderate'],
      [['posts.moderate', 'posts.read'], 'posts.moderate'],
      [['reports.admin', 'reports.read'], 'reports.admin'],
    ]);
    const text = formatOperationScopes(result);
    expect(text).toContain('Choices made (any one scope of each would do):');
    expect(text).toContain('  - one of posts.moderate, posts.read: picked posts.moderate (query Feed)');
    expect(text).toContain('Least privilege: analytics.read billing.read customers.read posts.moderate reports.admin');
  });

  it('makes no choice when a required scope settles it', () => {
    const result = operationScopes(schema, [operation('Audit', 'query Audit { audit { raw } }')]);
    expect(result.scopes).toEqual(['audit.raw']);
    expect(result.choices).toEqual([]);
    expect(formatOperationScopes(result)).not.toContain('Choices made');
  });
});

describe('review of issue 19: a choice that another operation’s scope settles', () => {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { onWarning: () => undefined });
  const small = scopeDirectiveTransformer(
    makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, 'type Query { a: String @scope(resource: "a") either: String @scope(anyOf: ["a.read", "b.read"]) }'] }),
  );

  it('lists the operation that needs the choice under the scope that settles it, instead of under no scope at all', () => {
    const result = operationScopes(small, [operation('A', 'query A { a }'), operation('Either', 'query Either { either }')]);
    expect(result.scopes).toEqual(['a.read']);
    expect(result.choices).toEqual([]);
    expect(result.byScope['a.read']).toEqual([
      { operation: 'query A', file: 'client.graphql', paths: ['a'] },
      { operation: 'query Either', file: 'client.graphql', paths: ['either'] },
    ]);
    expect(formatOperationScopes(result)).toContain('  - query Either (client.graphql): either');
  });
});

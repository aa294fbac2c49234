import { summarizeScopes } from '../../../src/admin/scopes/scope-summary';

describe('summarizeScopes', () => {
  it.each<[string[], string]>([
    [[], 'Unrestricted (legacy)'],
    [['posts.read'], 'posts (read)'],
    [['comments.read', 'posts.read', 'posts.write'], 'comments (read), posts (read, write)'],
    [['posts.publish', 'posts.delete', 'posts.write', 'posts.read'], 'posts (read, write, delete, publish)'],
    [['posts.*', 'posts.read'], 'posts (*, read)'],
    [['*'], '* (all scopes)'],
    [['*', 'posts.read'], '* (all scopes), posts (read)'],
    [['*.read', 'posts.write'], '* (read), posts (write)'],
  ])('%j reads %j', (grants, expected) => {
    expect(summarizeScopes(grants)).toBe(expected);
  });
});

import { expandGrants } from '../../src/federation/expand-grants';
import type { ScopeCatalog } from '../../src/scopes/scope-catalog';

const scope = (resource: string, action: string) => ({ scope: `${resource}.${action}`, action, coordinates: [], used: true });
const catalog: ScopeCatalog = {
  resources: [
    { resource: 'posts', scopes: [scope('posts', 'read'), scope('posts', 'write'), scope('posts', 'delete'), scope('posts', 'publish')] },
    { resource: 'users', scopes: [scope('users', 'read'), scope('users', 'write'), scope('users', 'delete'), scope('users', 'email')] },
  ],
};

describe('expandGrants', () => {
  it.each<[string, string[], string[]]>([
    ['a concrete scope stays', ['posts.read'], ['posts.read']],
    ['a concrete scope outside the catalogue stays', ['billing.read'], ['billing.read']],
    ['resource.* becomes the resource scopes', ['posts.*'], ['posts.delete', 'posts.publish', 'posts.read', 'posts.write']],
    ['*.action becomes that action on every resource', ['*.read'], ['posts.read', 'users.read']],
    ['*.action of a custom action', ['*.email'], ['users.email']],
    ['* becomes every scope', ['*'], ['posts.delete', 'posts.publish', 'posts.read', 'posts.write', 'users.delete', 'users.email', 'users.read', 'users.write']],
    ['a wildcard that matches nothing adds nothing', ['comments.*', '*.archive'], []],
    ['overlaps are merged and sorted', ['users.email', '*.read', 'users.*'], ['posts.read', 'users.delete', 'users.email', 'users.read', 'users.write']],
    ['no grants, no scopes', [], []],
  ])('%s', (_case, grants, expected) => {
    expect(expandGrants(grants, catalog)).toEqual(expected);
  });

  it.each(['posts', 'Posts.read', '*.*', 'posts.read.x', '', ' posts.read', 'posts.re*d'])('refuses the malformed grant %j with ERR_INVALID_SCOPE', (grant) => {
    expect(() => expandGrants([grant], catalog)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SCOPE' }));
  });
});

import { scopesCommand } from '../../src/cli/scopes-command';
import { compose } from '../federation/compose';
import { CLI_FIXTURES, runCliInProcess } from './run-cli-in-process';

describe('scopes --federation', () => {
  it('prints the subgraph SDL with @requiresScopes, resolved defaults and the v2.5 import, and it composes', async () => {
    const { stdout, stderr } = await scopesCommand({ schema: ['subgraph/posts.graphql'], federation: true, cwd: CLI_FIXTURES });
    expect(stderr).toBe('');
    expect(stdout).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable", "@requiresScopes"])');
    expect(stdout).toContain('posts: [Post!]! @scope(resource: "posts") @requiresScopes(scopes: [["posts.read"]])');
    expect(stdout).toContain('postDelete(id: ID!): Boolean! @scope(resource: "posts") @requiresScopes(scopes: [["posts.delete"]])');
    expect(stdout).toContain('title: String! @shareable @requiresScopes(scopes: [["posts.read"]])');
    for (const composer of ['apollo', 'guild'] as const) expect(compose(composer, [{ name: 'posts', sdl: stdout }])).toContain('@requiresScopes(scopes: [["posts.delete"]])');
  });

  it('runs from the command line, and refuses a schema without a federation @link with exit code 1', async () => {
    const ok = await runCliInProcess(['scopes', '--federation', 'subgraph/posts.graphql'], { cwd: CLI_FIXTURES });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('@requiresScopes(scopes: [["posts.read"]])');
    const refused = await runCliInProcess(['scopes', '--federation', ...['blog/root.graphql', 'blog/posts.graphql', 'blog/comments.graphql', 'blog/users.gql']], { cwd: CLI_FIXTURES });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ERR_INVALID_OPTIONS');
  });
});

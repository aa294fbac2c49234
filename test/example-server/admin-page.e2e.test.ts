import { AdminClient } from '../admin/support/admin-client';
import { type ExampleServer, postGraphQL, startExampleServer } from './example-server-process';

// The newcomer's path from the README: `npm run example`, open /admin, sign
// in with the printed ADMIN_KEY, create a key with checkboxes, use it.

describe('the example server serves the admin page next to GraphQL', () => {
  let server: ExampleServer | undefined;
  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  function running(): ExampleServer {
    if (server === undefined) throw new Error('the example server did not start');
    return server;
  }

  it('prints the admin URL and says to sign in with ADMIN_KEY', () => {
    const { url, stdout } = running();
    expect(stdout()).toContain(`Admin page: ${new URL('admin', url).href} (sign in with $ADMIN_KEY)`);
  });

  it('lets the printed ADMIN_KEY sign in, create a key with checkboxes, and that key works against GraphQL at /', async () => {
    const { url, credentials } = running();
    const admin = new AdminClient(new URL('admin', url).href);
    expect((await admin.get('')).location).toBe('/admin/keys');
    const signIn = await admin.get('/sign-in');
    expect(signIn.body).toContain('<label for="credential">API key</label>');
    expect((await admin.signIn(credentials.ADMIN_KEY ?? '')).location).toBe('/admin/keys');
    const keys = await admin.get('/keys');
    for (const name of ['demo read-only', 'demo editor', 'demo admin']) expect(keys.body).toContain(name);
    const form = await admin.get('/keys/new');
    for (const scope of ['posts.read', 'posts.publish', 'comments.read', 'analytics.export', 'scopes.admin']) expect(form.body).toContain(`value="${scope}"`);
    const created = await admin.submit('/keys/new', '/keys/new', { name: 'newcomer', scope: ['posts.read', 'comments.read'] });
    const shown = await admin.get(created.location?.replace('/admin', '') ?? '');
    const key = /id="new-key" value="([^"]+)"/.exec(shown.body)?.[1] ?? '';
    expect((await postGraphQL(url, '{ posts { id } }', { authorization: `Bearer ${key}` })).status).toBe(200);
    const denied = await postGraphQL(url, 'mutation { createPost(title: "x") { id } }', { authorization: `Bearer ${key}` });
    expect(denied.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

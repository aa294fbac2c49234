import { useSignedInAdmin } from '../support/admin-client';

function actions(body: string): string[] {
  return [...body.matchAll(/<span class="action action-([a-z-]+)">/g)].map((match) => match[1] ?? '');
}

describe('the Activity page and History sections', () => {
  const admin = useSignedInAdmin({ mode: 'node', admin: { pageSize: 3 } });

  it('lists every change newest first, with who did it, and never the new key', async () => {
    const created = await admin().client.submit('/keys/new', '/keys/new', { name: 'ci', scope: 'posts.read' });
    const key = /id="new-key" value="([^"]+)"/.exec((await admin().client.get(created.location?.replace('/admin', '') ?? '')).body)?.[1] ?? '';
    await admin().server.store.saveGroup({ name: 'editors', scopes: ['posts.read'] }, { actor: 'cli:alice' });
    const page = await admin().client.get('/activity');
    expect(page.status).toBe(200);
    expect(actions(page.body)).toEqual(['group-saved', 'created', 'created']);
    expect(page.body).toContain('cli:alice');
    expect(page.body).toMatch(/apiKey:[A-Za-z0-9]{12}/);
    expect(key).toMatch(/^gsp_/);
    expect(page.body).not.toContain(key);
    expect(page.body).toContain('aria-current="page">Activity</a>');
  });

  it('filters by actor, key and group, and pages with Older / Newest links that keep the filter', async () => {
    for (let i = 0; i < 5; i += 1) await admin().server.store.saveGroup({ name: 'editors', scopes: ['posts.read'] }, { actor: 'cli:alice' });
    await admin().server.store.saveGroup({ name: 'others', scopes: ['posts.read'] }, { actor: 'cli:bob' });
    expect(actions((await admin().client.get('/activity?actor=cli%3Abob')).body)).toEqual(['group-saved']);
    const first = await admin().client.get('/activity?group=editors');
    expect(actions(first.body)).toHaveLength(3);
    const older = /href="\/admin\/activity\?group=editors&amp;after=([^"]+)">Older</.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const second = await admin().client.get(`/activity?group=editors&after=${older ?? ''}`);
    expect(actions(second.body)).toHaveLength(2);
    expect(second.body).toContain('href="/admin/activity?group=editors">Newest</a>');
    expect(second.body).not.toContain('>Older<');
  });

  it.each([
    ['a malformed key id', '/activity?key=short', 'key-error'],
    ['a bad group name', '/activity?group=%24where', 'group-error'],
    ['a key and a group at once', '/activity?key=AAAAAAAAAAAA&group=editors', 'group-error'],
    ['an actor with a control character', '/activity?actor=a%07b', 'actor-error'],
    ['a forged cursor', '/activity?after=%7B%24gt%3A0%7D', 'actor-error'],
    ['a cursor past the end', '/activity?after=999999', 'actor-error'],
  ])('refuses %s with 400 and an error next to the field', async (_label, path, errorId) => {
    const reply = await admin().client.get(path);
    expect(reply.status).toBe(400);
    expect(reply.body).toContain(`id="${errorId}"`);
  });

  it('escapes what entries hold (an actor, a name)', async () => {
    const { apiKey } = await admin().server.store.createApiKey({ name: '<img src=x onerror=alert(1)>', scopes: ['posts.read'] }, { actor: '<script>alert(1)</script>' });
    const page = await admin().client.get('/activity');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src=x');
    expect((await admin().client.get(`/keys/${apiKey.id}`)).body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows a group’s history on its page, with member changes', async () => {
    await admin().client.submit('/groups/new', '/groups/new', { name: 'editors', scope: 'posts.read' });
    await admin().client.submit('/groups/editors/edit', '/groups/editors/members', { userId: 'alice' });
    const page = await admin().client.get('/groups/editors/edit');
    expect(page.body).toContain('id="history"');
    expect(actions(page.body)).toEqual(['member-added', 'group-saved']);
    expect(page.body).toContain('href="/admin/activity?group=editors">All activity</a>');
  });
});

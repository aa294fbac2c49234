import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { type FormBodyResult, readFormBody } from '../../../src/admin/http/form-body';

/** A server that answers with what readFormBody made of the request, as JSON. */
async function echoServer(withExpress: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const answer = async (req: Parameters<typeof readFormBody>[0], res: import('node:http').ServerResponse) => {
    const result: FormBodyResult = await readFormBody(req);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(result.ok ? { ok: true, form: [...result.form] } : result));
  };
  let server: Server;
  if (withExpress) {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use((req, res) => void answer(req, res));
    server = createServer(app);
  } else {
    server = createServer((req, res) => void answer(req, res));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each([
  ['node:http', false],
  ['Express with express.urlencoded() before the admin page', true],
])('readFormBody under %s', (_case, withExpress) => {
  let server: Awaited<ReturnType<typeof echoServer>>;
  beforeAll(async () => {
    server = await echoServer(withExpress);
  });
  afterAll(async () => {
    await server.close();
  });

  async function post(body: string, contentType = 'application/x-www-form-urlencoded'): Promise<unknown> {
    return (await fetch(server.url, { method: 'POST', headers: { 'content-type': contentType }, body })).json();
  }

  it('reads repeated fields in order', async () => {
    await expect(post('name=a+b&scope=posts.read&scope=posts.write')).resolves.toEqual({
      ok: true,
      form: [
        ['name', 'a b'],
        ['scope', 'posts.read'],
        ['scope', 'posts.write'],
      ],
    });
  });

  it('refuses other media types', async () => {
    await expect(post('{"name":"x"}', 'application/json')).resolves.toEqual({ ok: false, problem: 'unsupported-media-type' });
  });
});

describe('readFormBody limits', () => {
  it('answers too-large past 64 KiB, and the response still reaches the client', async () => {
    const server = await echoServer(false);
    try {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `name=${'x'.repeat(200_000)}` });
      await expect(response.json()).resolves.toEqual({ ok: false, problem: 'too-large' });
    } finally {
      await server.close();
    }
  });

  it('stops reading a chunked body (no Content-Length) once it passes 64 KiB', async () => {
    const server = await echoServer(false);
    try {
      const chunk = new TextEncoder().encode(`name=${'x'.repeat(16 * 1024)}`);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += 1;
          if (sent > 8) controller.close();
          else controller.enqueue(chunk);
        },
      });
      const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, duplex: 'half' } as RequestInit;
      const response = await fetch(server.url, init);
      await expect(response.json()).resolves.toEqual({ ok: false, problem: 'too-large' });
    } finally {
      await server.close();
    }
  });
});

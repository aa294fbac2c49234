import { request } from 'node:http';

function send(url: URL, localAddress: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<{ status: number; setCookie: string[]; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, localAddress, headers: { 'sec-fetch-site': 'same-origin', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [], text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Signs in through the form from a loopback address of its own
 * (`127.0.0.N`: Linux routes all of 127/8 to the loopback interface), as a
 * browser at that address would: GET the form, then POST it with its token.
 *
 * @returns The POST's status.
 */
export async function signInFrom(adminUrl: string, localAddress: string, credential: string): Promise<number> {
  const form = await send(new URL(`${adminUrl}/sign-in`), localAddress, 'GET', {});
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  const cookie = form.setCookie.map((line) => line.split(';')[0]).join('; ');
  const body = new URLSearchParams({ _csrf: token, credential }).toString();
  const reply = await send(new URL(`${adminUrl}/sign-in`), localAddress, 'POST', { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body);
  return reply.status;
}

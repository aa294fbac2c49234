import { type AdminTestServer, type AdminTestServerOptions, startAdminTestServer } from './admin-test-server';

/** One response as the tests read it. */
export interface AdminReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** The `Location` of a redirect, else `null`. */
  readonly location: string | null;
}

const CSRF = /name="_csrf" value="([^"]+)"/;

/**
 * A cookie-keeping HTTP client for the admin page, as a browser would be
 * (without running scripts): it sends `Sec-Fetch-Site: same-origin` on its
 * own requests, keeps the cookies it is given, and reads CSRF tokens from
 * pages. Redirects are not followed, so tests see each 303.
 */
export class AdminClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly adminUrl: string) {}

  private cookieHeader(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  private keep(headers: Headers): void {
    for (const cookie of headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      if (value === '' || /Max-Age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** GETs a path below the admin page (`/keys`), or an absolute URL. */
  async get(path: string, headers: Record<string, string> = {}): Promise<AdminReply> {
    const response = await fetch(path.startsWith('http') ? path : `${this.adminUrl}${path}`, {
      redirect: 'manual',
      headers: { 'sec-fetch-site': 'same-origin', ...this.cookieHeader(), ...headers },
    });
    this.keep(response.headers);
    return { status: response.status, headers: response.headers, body: await response.text(), location: response.headers.get('location') };
  }

  /** POSTs a form. `headers` replace the defaults (pass `'sec-fetch-site': ''` to send none). */
  async post(path: string, form: Record<string, string | string[]> | URLSearchParams | string, headers: Record<string, string> = {}): Promise<AdminReply> {
    const body =
      typeof form === 'string' || form instanceof URLSearchParams
        ? form
        : new URLSearchParams(Object.entries(form).flatMap(([name, value]): Array<[string, string]> => (Array.isArray(value) ? value.map((entry): [string, string] => [name, entry]) : [[name, value]])));
    const merged: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...this.cookieHeader(), ...headers };
    for (const [name, value] of Object.entries(merged)) if (value === '') delete merged[name];
    const response = await fetch(`${this.adminUrl}${path}`, { method: 'POST', redirect: 'manual', headers: merged, body });
    this.keep(response.headers);
    return { status: response.status, headers: response.headers, body: await response.text(), location: response.headers.get('location') };
  }

  /** The CSRF token of the page at `path`. */
  async token(path: string): Promise<string> {
    const page = await this.get(path);
    const token = CSRF.exec(page.body)?.[1];
    if (token === undefined) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return token;
  }

  /** Signs in through the form; returns the POST's reply. */
  async signIn(credential: string): Promise<AdminReply> {
    const token = await this.token('/sign-in');
    return this.post('/sign-in', { _csrf: token, credential });
  }

  /** Submits the form of the page at `pagePath` to `action`, with its CSRF token. */
  async submit(pagePath: string, action: string, form: Record<string, string | string[]>): Promise<AdminReply> {
    const token = await this.token(pagePath);
    return this.post(action, { _csrf: token, ...form });
  }
}

/**
 * Registers `beforeEach`/`afterEach` hooks that start an admin test server
 * and sign a client in with its `*` key; returns an accessor for both.
 */
export function useSignedInAdmin(options: AdminTestServerOptions): () => { readonly server: AdminTestServer; readonly client: AdminClient } {
  let current: { server: AdminTestServer; client: AdminClient } | undefined;
  beforeEach(async () => {
    const server = await startAdminTestServer(options);
    const client = new AdminClient(server.adminUrl);
    await client.signIn(server.adminKey);
    current = { server, client };
  });
  afterEach(async () => {
    await current?.server.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('The admin test server exists only inside a test.');
    return current;
  };
}

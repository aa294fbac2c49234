import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createScopeAdmin, type ScopeAdmin } from '../../src/admin';
import type { ScopeCatalog } from '../../src/scopes/scope-catalog';
import type { ScopeStore } from '../../src/store/scope-store';
import { type AlternatingRoundsOptions, alternatingRounds } from './alternating-rounds';
import { type Cell, roundSummary, spread } from './report';
import { pairedRatios, quantile, summarize } from './stats';

/** An admin page on loopback HTTP with a signed-in session, timing each request on the server. */
export interface AdminBenchSite {
  readonly url: string;
  readonly cookie: string;
  /** Server wall milliseconds per request (handler start to `finish`), by the request's `x-bench-tag`. */
  readonly serverMs: Map<string, number[]>;
  /** Server CPU milliseconds per request (`process.cpuUsage()`), by tag. */
  readonly serverCpuMs: Map<string, number[]>;
  /** GETs `path` tagged `tag`; returns the body after checking the status is 200. */
  get(path: string, tag: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts `createScopeAdmin` on `store` (whose `adminKey` holds `*`), signs in, and times every tagged request. */
export async function startAdminBenchSite(store: ScopeStore, adminKey: string, catalog: ScopeCatalog, pageSize: number): Promise<AdminBenchSite> {
  const admin: ScopeAdmin = createScopeAdmin({ store, catalog, pageSize, signInAttemptsPerClientPerMinute: 1000 });
  const serverMs = new Map<string, number[]>();
  const serverCpuMs = new Map<string, number[]>();
  const record = (samples: Map<string, number[]>, tag: string, value: number) => samples.set(tag, [...(samples.get(tag) ?? []), value]);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const tag = req.headers['x-bench-tag'];
    res.once('finish', () => {
      if (typeof tag !== 'string') return;
      const cpu = process.cpuUsage(cpuStart);
      record(serverMs, tag, performance.now() - start);
      record(serverCpuMs, tag, (cpu.user + cpu.system) / 1000);
    });
    void admin.handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`;

  const signInPage = await fetch(`${url}/sign-in`);
  const preCookie = (signInPage.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())?.[1] ?? '';
  const signedIn = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: preCookie, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ _csrf: token, credential: adminKey }),
  });
  const cookie = (signedIn.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  if (signedIn.status !== 303 || !cookie.startsWith('gsp_admin=')) throw new Error(`sign-in failed (${signedIn.status})`);
  return {
    url,
    cookie,
    serverMs,
    serverCpuMs,
    async get(path, tag) {
      const response = await fetch(`${url}${path}`, { headers: { cookie, 'x-bench-tag': tag } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${tag}: status ${response.status}`);
      return body;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await admin.close();
    },
  };
}

/** One page a bench times: its name (also its `x-bench-tag`) and the request. */
export interface TimedPage {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** What {@link timePages} measured. */
export interface TimedPages {
  /** One table row per page: name, server wall (spread, p99), server CPU (spread, p99), paired client ratio to the baseline. */
  readonly rows: Cell[][];
  readonly serverMs: ReadonlyMap<string, number[]>;
  readonly serverCpuMs: ReadonlyMap<string, number[]>;
  /** The worst per-page p99 of server wall time, in milliseconds. */
  readonly worstP99Ms: number;
  /** A JSON summary per page, for the result line. */
  readonly pages: Record<string, unknown>;
}

/** The column headers of {@link TimedPages.rows}. */
export const TIMED_PAGE_COLUMNS = ['page', 'server wall ms', 'wall p99', 'server CPU ms', 'CPU p99', 'client wall ÷ baseline (paired)'];

/**
 * Runs every page once (a pre-flight: each checks its own answer), then the
 * pages in alternating rounds, and summarises the server times the sites
 * recorded and the paired client ratios to the page named `baseline`.
 */
export async function timePages(sites: readonly AdminBenchSite[], pages: readonly TimedPage[], baseline: string, options: AlternatingRoundsOptions): Promise<TimedPages> {
  for (const page of pages) await page.run();
  for (const site of sites) {
    site.serverMs.clear();
    site.serverCpuMs.clear();
  }
  const samples = await alternatingRounds(pages, options);
  const serverMs = new Map(sites.flatMap((site) => [...site.serverMs]));
  const serverCpuMs = new Map(sites.flatMap((site) => [...site.serverCpuMs]));
  const baselineMs = samples[baseline]?.wallMs ?? [];
  const p99 = (values: readonly number[]) => quantile([...values].sort((a, b) => a - b), 0.99);
  const ratioOf = (name: string) => summarize(pairedRatios(samples[name]?.wallMs ?? [], baselineMs));
  return {
    rows: pages.map(({ name }) => {
      const wall = serverMs.get(name) ?? [];
      const cpu = serverCpuMs.get(name) ?? [];
      return [name, spread(summarize(wall)), p99(wall), spread(summarize(cpu)), p99(cpu), spread(ratioOf(name))];
    }),
    serverMs,
    serverCpuMs,
    worstP99Ms: Math.max(...[...serverMs.values()].map(p99)),
    pages: Object.fromEntries(
      pages.map(({ name }) => [
        name,
        {
          serverMs: roundSummary(summarize(serverMs.get(name) ?? [])),
          serverCpuMs: roundSummary(summarize(serverCpuMs.get(name) ?? [])),
          wallMs: roundSummary(summarize(samples[name]?.wallMs ?? [])),
          ratioToBaseline: roundSummary(ratioOf(name)),
        },
      ]),
    ),
  };
}

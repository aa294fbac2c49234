import type { ServerResponse } from 'node:http';
import type { SafeHtml } from '../html';

/**
 * Sends a page. Admin pages show keys, scopes and members, so no page is
 * ever stored by a browser or a proxy (`Cache-Control: no-store`).
 */
export function sendPage(res: ServerResponse, status: number, page: SafeHtml, headers: Readonly<Record<string, string>> = {}): void {
  const body = Buffer.from(page.toString(), 'utf8');
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', body.length);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}

/**
 * Answers `303 See Other` to a path of the admin page, so that the browser
 * follows with a GET and a reload never re-submits a form.
 */
export function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 303;
  res.setHeader('location', location);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', 0);
  res.end();
}

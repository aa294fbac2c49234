import { hash } from 'node:crypto';
import { ADMIN_SCRIPT } from './admin-script';
import { ADMIN_STYLE } from './admin-style';

/** A file the admin page serves itself. */
export interface AdminAsset {
  /** The path below the mount: `/assets/admin.<hash>.js`. The hash changes with the content. */
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

function asset(name: string, extension: string, contentType: string, text: string): AdminAsset {
  const body = Buffer.from(text, 'utf8');
  const version = hash('sha256', body, 'hex').slice(0, 12);
  return { path: `/assets/${name}.${version}.${extension}`, contentType, body };
}

/** The script and the stylesheet, with content-hashed paths, so they can be cached for good. */
export const ADMIN_ASSETS = Object.freeze({
  script: asset('admin', 'js', 'text/javascript; charset=utf-8', ADMIN_SCRIPT),
  style: asset('admin', 'css', 'text/css; charset=utf-8', ADMIN_STYLE),
});

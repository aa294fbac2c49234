import type { Plugin } from '@envelop/core';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useScopedPermissions, type UseScopedPermissionsOptions } from '../../src/envelop';
import { type MatrixApp, createMatrixApp } from '../servers/matrix-app';
import { type MatrixKeys, createMatrixKeys } from '../servers/matrix-cases';
import { listen } from '../servers/listen';

// The harness of the review-3 attack files: the matrix application behind a
// real GraphQL Yoga with useScopedPermissions first, then `plugins`.

/** A Yoga of the shape these tests serve. */
export type Yoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

/** A served application: its keys and URL. */
export interface Served {
  readonly app: MatrixApp;
  readonly keys: MatrixKeys;
  readonly url: string;
}

const closers: Array<() => Promise<void>> = [];

/** Registers something to close after the file's tests (see {@link closeAll}). */
export function onClose(close: () => Promise<void>): void {
  closers.push(close);
}

/** Closes every server served so far; call it in `afterAll`. */
export async function closeAll(): Promise<void> {
  await Promise.all(closers.splice(0).map((close) => close()));
}

/** Serves the matrix application in `mode` behind Yoga, with `useScopedPermissions(options(app))` then `plugins(app)`. */
export async function serve(
  mode: 'field' | 'operation',
  options: (app: MatrixApp) => UseScopedPermissionsOptions,
  plugins: (app: MatrixApp) => Plugin[] = () => [],
): Promise<Served> {
  const app = createMatrixApp(mode, 'none');
  const keys = await createMatrixKeys(app);
  const yoga: Yoga = createYoga({ schema: app.schema, logging: false, plugins: [useScopedPermissions(options(app)), ...plugins(app)] });
  const http = await listen(yoga);
  onClose(async () => {
    await http.close();
    await app.context.dispose();
  });
  return { app, keys, url: http.url };
}

/** The headers that present `key` as a bearer token. */
export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

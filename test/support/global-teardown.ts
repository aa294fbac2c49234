import { SERVER_HANDLE } from './global-setup';
import type { HandleHolder } from './global-setup';

/** Jest global teardown: stops the server the setup started, if any, and removes its data directory. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as HandleHolder;
  const server = holder[SERVER_HANDLE];
  delete holder[SERVER_HANDLE];
  await server?.stop();
}

import type { ScopeStore } from '../store/scope-store';

/** An open store and how to close it. */
export interface StoreHandle {
  readonly store: ScopeStore;
  /** Closes the connection. The CLI calls it once, whether the command succeeded or not. */
  close(): Promise<void>;
}

/** Opens the store a key or group command works on, from a connection string. */
export type OpenStore = (uri: string) => Promise<StoreHandle>;

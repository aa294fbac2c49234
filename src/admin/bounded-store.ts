import { storeTimeoutError } from '../auth/cache/call-store';
import { withDeadline } from '../store/deadline';
import type { ScopeStore } from '../store/scope-store';

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

/**
 * The admin page's view of the store: every method that returns a promise
 * (`listApiKeys`, `getApiKey`, `createApiKey`, `listGroups`, every write…)
 * rejects with `ERR_STORE_UNAVAILABLE` when it has not settled within
 * `timeoutMs`, which the page answers with its 503 page, as sign-in through
 * the verifier does. The store's own errors (`ERR_NOT_FOUND`,
 * `ERR_DUPLICATE`, `ERR_INVALID_INPUT`…) pass through unchanged, so forms
 * still show them next to their fields. Methods that return no promise
 * (`onChange`, `watchChanges`) are the store's own.
 *
 * One wrapper made once per admin, so that no route can forget the bound.
 *
 * @param timeoutMs - Milliseconds each call may take (the admin's `storeTimeoutMs`).
 */
export function boundedStore(store: ScopeStore, timeoutMs: number): ScopeStore {
  const wrapped = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let bound = wrapped.get(property);
      if (bound === undefined) {
        const operation = String(property);
        bound = (...args: unknown[]): unknown => {
          // Looked up at each call, so that a method replaced later (a test's spy) is the one called.
          const method = Reflect.get(target, property, target) as (...args: unknown[]) => unknown;
          const result = method.apply(target, args);
          return isPromise(result) ? withDeadline(result, timeoutMs, () => storeTimeoutError(operation, timeoutMs)) : result;
        };
        wrapped.set(property, bound);
      }
      return bound;
    },
  });
}

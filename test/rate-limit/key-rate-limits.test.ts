import { createScopedContext } from '../../src/auth/create-scoped-context';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe("createScopedContext's rateLimiting options, without per-scope rateLimits (only keys' own limits use them)", () => {
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });

  // Checked at start-up, not at the first request of a key with a limit (which would answer 500s).
  it.each([
    ['a failOpen that is not a boolean', { failOpen: 'no' }],
    ['a negative timeoutMs', { timeoutMs: -1 }],
    ['an onError that is not a function', { onError: 'log' }],
    ['a backend that is not one', { backend: {} }],
  ])('refuses %s with ERR_INVALID_OPTIONS', (_label, rateLimiting) => {
    expect(() => createScopedContext({ store, rateLimiting: rateLimiting as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

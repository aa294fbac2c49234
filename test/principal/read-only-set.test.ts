import { createApiKeyVerifier } from '../../src/auth/api-keys/api-key-verifier';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../src/principal/principal';
import { ReadOnlyScopeSet } from '../../src/principal/read-only-set';
import { hasScope } from '../../src/scopes/match-scope';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { CHEAP_HASH } from '../auth/counting-store';

/** Every way we know of to change a set from outside, each tried on `target`. */
const attacks: Array<[string, (target: ReadonlySet<string>) => unknown]> = [
  ['Set.prototype.add.call', (target) => Set.prototype.add.call(target as Set<string>, '*')],
  ['Set.prototype.delete.call', (target) => Set.prototype.delete.call(target as Set<string>, 'posts.read')],
  ['Set.prototype.clear.call', (target) => Set.prototype.clear.call(target as Set<string>)],
  ['a cast and add', (target) => (target as Set<string>).add('*')],
  ['replacing has on the instance', (target) => Object.assign(target, { has: () => true })],
  ['defineProperty has', (target) => Object.defineProperty(target, 'has', { value: () => true })],
  ['replacing has on the prototype', (target) => Object.assign(Object.getPrototypeOf(target) as object, { has: () => true })],
  ['swapping the prototype', (target) => Object.setPrototypeOf(target, { has: () => true, size: 1 })],
  ['Map.prototype.set.call', (target) => Map.prototype.set.call(target as unknown as Map<string, string>, '*', '*')],
];

describe('finding 8: the shared scope set cannot be widened by any means', () => {
  it.each(attacks)('%s fails and leaves the grants as they were', (_label, attack) => {
    const scopes = new ReadOnlyScopeSet(['posts.read']);
    try {
      attack(scopes);
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
    }
    expect(scopes.has('*')).toBe(false);
    expect(scopes.has('posts.read')).toBe(true);
    expect([...scopes]).toEqual(['posts.read']);
    expect(scopes.size).toBe(1);
  });

  it.each(attacks)('%s on a cached API key principal never reaches the next request with that key', async (_label, attack) => {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const { key } = await store.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    const verifier = createApiKeyVerifier(store);
    const first = await verifier.verify(key);
    if (!first.ok) throw new Error('the key should verify');
    try {
      attack(first.principal.scopes); // what a hostile or buggy resolver might do
    } catch {
      // refused: what we want
    }
    const second = await verifier.verify(key);
    if (!second.ok) throw new Error('the key should still verify');
    expect(second.principal).toBe(first.principal); // the same shared, cached object
    expect(hasScope(second.principal, 'users.delete')).toBe(false);
    expect([...second.principal.scopes]).toEqual(['posts.read']);
  });

  it('guards the anonymous principal too', () => {
    expect(() => Set.prototype.add.call(ANONYMOUS_PRINCIPAL.scopes as Set<string>, '*')).toThrow(TypeError);
    expect(ANONYMOUS_PRINCIPAL.scopes.size).toBe(0);
  });

  it('reads like a ReadonlySet, for the guard, hasScope and your own code', () => {
    const scopes = new ReadOnlyScopeSet(['posts.*', 'comments.read', 'posts.*']);
    const principal: Principal = { kind: 'jwt', id: 'u1', scopes };
    expect(hasScope(principal, 'posts.publish')).toBe(true);
    expect(hasScope(principal, 'comments.write')).toBe(false);
    expect(scopes.size).toBe(2);
    expect([...scopes.keys()]).toEqual(['comments.read', 'posts.*']); // sorted, without duplicates
    expect([...scopes.entries()]).toEqual([['comments.read', 'comments.read'], ['posts.*', 'posts.*']]);
    const seen: string[] = [];
    scopes.forEach((value, again, set) => {
      expect(again).toBe(value);
      expect(set).toBe(scopes);
      seen.push(value);
    });
    expect(seen).toEqual(['comments.read', 'posts.*']);
    expect(Object.prototype.toString.call(scopes)).toBe('[object ReadOnlyScopeSet]');
  });
});

describe('the ES2025 set methods (issue 15, finding 8: ReadonlySet under lib esnext declares them)', () => {
  const scopes = new ReadOnlyScopeSet(['posts.read', 'posts.write', 'comments.read']);
  const other = new Set(['posts.read', 'users.read']);

  it.each<[string, (set: ReadOnlyScopeSet) => unknown, unknown]>([
    ['union', (set) => [...set.union(other)].sort(), ['comments.read', 'posts.read', 'posts.write', 'users.read']],
    ['intersection', (set) => [...set.intersection(other)], ['posts.read']],
    ['difference', (set) => [...set.difference(other)], ['comments.read', 'posts.write']],
    ['symmetricDifference', (set) => [...set.symmetricDifference(other)].sort(), ['comments.read', 'posts.write', 'users.read']],
    ['isSubsetOf (no)', (set) => set.isSubsetOf(other), false],
    ['isSubsetOf (yes)', (set) => set.isSubsetOf(new Set([...set, 'x.read'])), true],
    ['isSupersetOf (yes)', (set) => set.isSupersetOf(new Set(['posts.read'])), true],
    ['isSupersetOf (no)', (set) => set.isSupersetOf(other), false],
    ['isDisjointFrom (no)', (set) => set.isDisjointFrom(other), false],
    ['isDisjointFrom (yes)', (set) => set.isDisjointFrom(new Set(['x.read'])), true],
  ])('%s answers as Set.prototype does, and changes nothing', (_method, call, expected) => {
    expect(call(scopes)).toEqual(expected);
    expect([...scopes]).toEqual(['comments.read', 'posts.read', 'posts.write']);
  });

  it('returns new, ordinary sets, so no caller can reach the grants', () => {
    const union = scopes.union(new Set<string>());
    union.add('*');
    expect(scopes.has('*')).toBe(false);
    expect(union).toBeInstanceOf(Set);
  });
});

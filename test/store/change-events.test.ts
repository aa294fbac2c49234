import { ChangeEvents, assertChangeOptions } from '../../src/store/change-events';
import type { ScopeChange } from '../../src/store/scope-store';

describe('ChangeEvents', () => {
  it('calls every subscription in order, and stops after unsubscribe', () => {
    const events = new ChangeEvents();
    const seen: string[] = [];
    const listener = (id: string): void => {
      seen.push(`a:${id}`);
    };
    const first = events.subscribeApiKeys(listener);
    events.subscribeApiKeys(listener);
    events.subscribeApiKeys((id) => seen.push(`b:${id}`));
    events.apiKey('k1', 'revoked', undefined);
    first();
    first();
    events.apiKey('k2', 'scopes', undefined);
    expect(seen).toEqual(['a:k1', 'a:k1', 'b:k1', 'a:k2', 'b:k2']);
    expect(events.size).toBe(2);
  });

  it('gives API key listeners key changes only, and full listeners every change with its actor, frozen', () => {
    const events = new ChangeEvents();
    const ids: string[] = [];
    const changes: ScopeChange[] = [];
    events.subscribeApiKeys((id) => ids.push(id));
    events.subscribe((change) => changes.push(change));
    events.group('editors', 'saved', ['alice', 'bob'], { actor: 'apiKey:a1' });
    events.apiKey('k1', 'updated', {});
    expect(ids).toEqual(['k1']);
    expect(changes).toEqual([
      { type: 'group', name: 'editors', action: 'saved', userIds: ['alice', 'bob'], actor: 'apiKey:a1' },
      { type: 'apiKey', id: 'k1', action: 'updated' },
    ]);
    expect(Object.isFrozen(changes[0])).toBe(true);
    const group = changes[0];
    expect(group?.type === 'group' && Object.isFrozen(group.userIds)).toBe(true);
  });

  it('keeps calling the others when one throws, and reports it as a warning', () => {
    const events = new ChangeEvents();
    const warnings: Error[] = [];
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation((warning) => {
      warnings.push(warning as Error);
    });
    try {
      const seen: string[] = [];
      events.subscribe(() => {
        throw new Error('listener failed');
      });
      events.subscribeApiKeys((id) => seen.push(id));
      expect(() => events.apiKey('k1', 'revoked', undefined)).not.toThrow();
      expect(seen).toEqual(['k1']);
      expect(warnings).toEqual([expect.objectContaining({ message: 'listener failed' })]);
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('tolerates a listener that unsubscribes during emit', () => {
    const events = new ChangeEvents();
    const seen: string[] = [];
    const unsubscribe = events.subscribe(() => {
      unsubscribe();
      seen.push('once');
    });
    events.subscribe(() => seen.push('always'));
    events.apiKey('k1', 'revoked', undefined);
    events.apiKey('k2', 'revoked', undefined);
    expect(seen).toEqual(['once', 'always', 'always']);
  });
});

describe('assertChangeOptions', () => {
  it.each([
    ['a string', 'admin', 'options'],
    ['null', null, 'options'],
    ['an empty actor', { actor: '' }, 'actor'],
    ['an object actor', { actor: { $ne: null } }, 'actor'],
    ['a control character', { actor: 'a\u0000b' }, 'actor'],
    ['a 201-character actor', { actor: 'a'.repeat(201) }, 'actor'],
  ])('refuses %s with ERR_INVALID_INPUT', (_label, options, field) => {
    expect(() => assertChangeOptions(options)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT', details: { field } }));
  });

  it('accepts nothing, an empty object and a printable actor', () => {
    expect(assertChangeOptions(undefined)).toBeUndefined();
    expect(assertChangeOptions({})).toEqual({});
    expect(assertChangeOptions({ actor: 'apiKey:a1B2c3D4e5F6' })).toEqual({ actor: 'apiKey:a1B2c3D4e5F6' });
  });
});

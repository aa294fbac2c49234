import { ApiKeyChangeEvents } from '../../src/store/api-key-events';

describe('ApiKeyChangeEvents', () => {
  it('calls every subscription in order, and stops after unsubscribe', () => {
    const events = new ApiKeyChangeEvents();
    const seen: string[] = [];
    const listener = (id: string): void => {
      seen.push(`a:${id}`);
    };
    const first = events.subscribe(listener);
    events.subscribe(listener);
    events.subscribe((id) => seen.push(`b:${id}`));
    events.emit('k1');
    first();
    first();
    events.emit('k2');
    expect(seen).toEqual(['a:k1', 'a:k1', 'b:k1', 'a:k2', 'b:k2']);
    expect(events.size).toBe(2);
  });

  it('keeps calling the others when one throws, and reports it as a warning', () => {
    const events = new ApiKeyChangeEvents();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation((warning) => onWarning(warning as Error));
    try {
      const seen: string[] = [];
      events.subscribe(() => {
        throw new Error('listener failed');
      });
      events.subscribe((id) => seen.push(id));
      expect(() => events.emit('k1')).not.toThrow();
      expect(seen).toEqual(['k1']);
      expect(warnings).toEqual([expect.objectContaining({ message: 'listener failed' })]);
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('tolerates a listener that unsubscribes during emit', () => {
    const events = new ApiKeyChangeEvents();
    const seen: string[] = [];
    const unsubscribe = events.subscribe(() => {
      unsubscribe();
      seen.push('once');
    });
    events.subscribe(() => seen.push('always'));
    events.emit('k1');
    events.emit('k2');
    expect(seen).toEqual(['once', 'always', 'always']);
  });
});

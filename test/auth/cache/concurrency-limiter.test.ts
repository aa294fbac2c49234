import { ConcurrencyLimiter } from '../../../src/auth/cache/concurrency-limiter';
import { deferred } from '../../support/deferred';


describe('ConcurrencyLimiter', () => {
  it('runs at most maxConcurrent tasks, in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2, 10);
    const gates = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      limiter.run(async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect([limiter.active, limiter.queued]).toEqual([2, 3]);
    gates[1]!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect([limiter.active, limiter.queued, limiter.peakActive, limiter.peakQueued]).toEqual([0, 0, 2, 3]);
  });

  it('refuses with ERR_OVERLOADED when the queue is full, and frees the slot of a failed task', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    const gate = deferred();
    const running = limiter.run(() => gate.promise);
    const waiting = limiter.run(async () => {
      throw new Error('task failed');
    });
    await expect(limiter.run(async () => 'late')).rejects.toMatchObject({ code: 'ERR_OVERLOADED' });
    expect(() => limiter.assertCapacity()).toThrow(expect.objectContaining({ code: 'ERR_OVERLOADED' }));
    gate.resolve();
    await running;
    await expect(waiting).rejects.toThrow('task failed');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
    expect(limiter.active).toBe(0);
  });
});

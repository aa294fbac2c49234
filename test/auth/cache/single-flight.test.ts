import { SingleFlight } from '../../../src/auth/cache/single-flight';
import { deferred } from '../../support/deferred';


describe('SingleFlight', () => {
  it('runs concurrent calls for one key once, and counts the joins', async () => {
    const flights = new SingleFlight<number>();
    const gate = deferred<number>();
    const start = jest.fn(() => gate.promise);
    const calls = [flights.run('k', 't', start), flights.run('k', 't', start), flights.run('k', 't', start)];
    gate.resolve(7);
    await expect(Promise.all(calls)).resolves.toEqual([7, 7, 7]);
    expect(start).toHaveBeenCalledTimes(1);
    expect(flights.joins).toBe(2);
  });

  it('starts afresh after the flight lands, and after a failure', async () => {
    const flights = new SingleFlight<number>();
    await expect(flights.run('k', 't', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(flights.run('k', 't', () => Promise.resolve(1))).resolves.toBe(1);
    await expect(flights.run('k', 't', () => Promise.resolve(2))).resolves.toBe(2);
  });

  it('after forget(tag), later calls do not join the flight that began before the change', async () => {
    const flights = new SingleFlight<string>();
    const old = deferred<string>();
    const first = flights.run('k', 'user', () => old.promise);
    flights.forget('user');
    const second = flights.run('k', 'user', () => Promise.resolve('after the change'));
    old.resolve('before the change');
    await expect(first).resolves.toBe('before the change');
    await expect(second).resolves.toBe('after the change');
    // The old flight landing does not remove the new one's entry early.
    expect(flights.joins).toBe(0);
  });
});

import { reportDenial } from '../../src/edge/decide-operation';

describe('reportDenial', () => {
  let warnings: jest.SpyInstance;
  beforeEach(() => {
    warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => warnings.mockRestore());

  it('calls the listener with the event, and warns of nothing', () => {
    const events: unknown[] = [];
    reportDenial((event: unknown) => events.push(event), { id: 1 }, 'plugin');
    expect(events).toEqual([{ id: 1 }]);
    expect(warnings).not.toHaveBeenCalled();
  });

  it('turns what the listener throws into a process warning, never a throw', () => {
    const error = new Error('logger down');
    expect(() =>
      reportDenial(() => {
        throw error;
      }, {}, 'plugin'),
    ).not.toThrow();
    expect(warnings).toHaveBeenCalledWith(error);
  });

  it('warns with the message when Node refuses the Error itself (an Error of another realm)', () => {
    warnings.mockImplementationOnce(() => {
      throw new TypeError('The "warning" argument must be of type string or an instance of Error.');
    });
    expect(() =>
      reportDenial(() => {
        throw new Error('logger down');
      }, {}, 'plugin'),
    ).not.toThrow();
    expect(warnings).toHaveBeenLastCalledWith('plugin: onDenied threw: logger down', { type: 'ScopedPermissionsWarning' });
  });

  it('warns of a thrown value that is not an Error without repeating it', () => {
    reportDenial(() => {
      throw 'token=abc';
    }, {}, 'plugin');
    expect(warnings).toHaveBeenCalledWith('plugin: onDenied threw a value that is not an Error.', { type: 'ScopedPermissionsWarning' });
  });
});

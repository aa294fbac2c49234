import { operationCheckMode } from '../../src/edge/operation-check-options';

describe('operationCheckMode', () => {
  const onDenied = () => undefined;

  it.each<[string, Record<string, unknown>, boolean, string | undefined]>([
    ['reject', { mode: 'reject' }, false, 'reject'],
    ['reject with onDenied', { mode: 'reject', onDenied }, false, 'reject'],
    ['report with onDenied', { mode: 'report', onDenied }, false, 'report'],
    ['no mode, where optional', {}, true, undefined],
  ])('accepts %s', (_label, options, optional, mode) => {
    expect(operationCheckMode('plugin', options, optional)).toBe(mode);
  });

  it.each<[string, Record<string, unknown>, boolean, string]>([
    ['no mode, where required', {}, false, 'mode'],
    ['an unknown mode', { mode: 'block' }, true, 'mode'],
    ['report without onDenied', { mode: 'report' }, true, 'onDenied'],
    ['an onDenied that is not a function', { mode: 'reject', onDenied: 'log' }, true, 'onDenied'],
    ['onDenied without a mode', { onDenied }, true, 'onDenied'],
  ])('refuses %s with ERR_INVALID_OPTIONS naming the option', (_label, options, optional, option) => {
    expect(() => operationCheckMode('plugin', options, optional)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', details: { option } }));
  });
});

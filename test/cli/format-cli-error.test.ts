import { GraphQLError } from 'graphql';
import { formatCliError, isDebugEnabled } from '../../src/cli/format-cli-error';
import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';

describe('formatCliError', () => {
  it('prints an expected error as one line with its code, never its stack, even under debug', () => {
    const error = new ScopedPermissionsError('ERR_SCHEMA_LOAD', 'Invalid schema: Unknown type "User".\n\nUnknown type "Tag".');
    expect(formatCliError(error, { debug: true })).toBe('error ERR_SCHEMA_LOAD: Invalid schema: Unknown type "User". Unknown type "Tag".\n');
  });

  it('prints a GraphQLError as one line', () => {
    expect(formatCliError(new GraphQLError('Syntax Error: Unexpected <EOF>.'), { debug: true })).toBe('error: Syntax Error: Unexpected <EOF>.\n');
  });

  it.each([
    ['an Error', new RangeError('boom\nmore'), 'error: unexpected RangeError: boom more (set DEBUG=graphql-scoped-permissions for the stack trace)\n'],
    ['a thrown string', 'just a string', 'error: unexpected string: just a string (set DEBUG=graphql-scoped-permissions for the stack trace)\n'],
  ])('prints %s as one unexpected line with the DEBUG hint', (_label, error, expected) => {
    expect(formatCliError(error)).toBe(expected);
  });

  it('appends the stack of an unexpected error under debug', () => {
    const error = new RangeError('boom');
    expect(formatCliError(error, { debug: true })).toBe(`error: unexpected RangeError: boom (set DEBUG=graphql-scoped-permissions for the stack trace)\n${error.stack}\n`);
  });

  it('hides the given secrets and URL credentials everywhere, stack included', () => {
    const error = new Error('cannot reach mongodb+srv://admin:pa55word@cluster0.example.net/app and mongodb://u:p@h/x');
    const text = formatCliError(error, { debug: true, redact: ['cluster0.example.net'] });
    expect(text).not.toMatch(/pa55word|u:p@|cluster0/);
    expect(text).toContain('mongodb+srv://***@***/app');
  });
});

describe('isDebugEnabled', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['express', false],
    ['graphql-scoped', false],
    ['graphql-scoped-permissions', true],
    ['express,graphql-scoped-permissions', true],
    ['express graphql-scoped-permissions', true],
    ['graphql-*', true],
    ['*', true],
    ['-graphql-scoped-permissions', false],
  ])('DEBUG=%j → %j', (debug, enabled) => {
    expect(isDebugEnabled(debug)).toBe(enabled);
  });
});

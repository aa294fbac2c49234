import { mongoUriSecrets, resolveMongoUri } from '../../src/cli/mongo-uri';

describe('resolveMongoUri', () => {
  it.each([
    ['the option over the variable', 'mongodb://a/x', { MONGODB_URI: 'mongodb://b/y' }, 'mongodb://a/x'],
    ['the variable without the option', undefined, { MONGODB_URI: ' mongodb://b/y ' }, 'mongodb://b/y'],
  ])('takes %s', (_label, option, env, expected) => {
    expect(resolveMongoUri(option, env)).toBe(expected);
  });

  it.each([
    ['neither', undefined, {}],
    ['a blank variable', undefined, { MONGODB_URI: '  ' }],
    ['a blank option', '', {}],
  ])('rejects %s with ERR_INVALID_OPTIONS', (_label, option, env) => {
    expect(() => resolveMongoUri(option, env)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('mongoUriSecrets', () => {
  it('lists the URI and its password, raw and decoded', () => {
    expect(mongoUriSecrets('mongodb://user:p%40ss%2Fw0rd@host/db')).toEqual(['mongodb://user:p%40ss%2Fw0rd@host/db', 'p%40ss%2Fw0rd', 'p@ss/w0rd']);
  });

  it('lists only the URI when it has no password', () => {
    expect(mongoUriSecrets('mongodb://host/db')).toEqual(['mongodb://host/db']);
  });
});

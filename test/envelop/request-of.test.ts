import { requestOf } from '../../src/envelop/request-of';

describe('requestOf', () => {
  const fetchRequest = new Request('http://localhost/graphql', { headers: { authorization: 'Bearer x' } });
  const nodeRequest = { headers: { authorization: 'Bearer y' }, rawHeaders: ['authorization', 'Bearer y'] };

  it.each<[string, Record<string, unknown>, unknown]>([
    ['the Fetch request first (Yoga, Hive Gateway)', { request: fetchRequest, req: nodeRequest }, fetchRequest],
    ['the Node request without one (graphql-ws through Yoga)', { req: nodeRequest }, nodeRequest],
    ['no headers at all without either: anonymous', {}, { headers: {} }],
    ['no headers for a request-like value without headers', { request: { url: '/' }, req: 'GET /' }, { headers: {} }],
  ])('reads %s', (_label, initial, expected) => {
    expect(requestOf(initial)).toEqual(expected);
  });
});

import { HttpException } from '@nestjs/common';
import { parseDeleteKey, parseListQuery, parseQueryString } from '../../src/key-value/list-query';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return ((error as HttpException).getResponse() as { error: string }).error;
  }
  throw new Error('expected a rejection');
};

describe('parseListQuery', () => {
  it('streams everything without cursor or count', () => {
    expect(parseListQuery({}, 1000)).toEqual({ mode: 'stream' });
  });

  it.each([
    [{ cursor: '0' }, { mode: 'page', cursor: '0', count: 100 }],
    [{ count: '10' }, { mode: 'page', cursor: '0', count: 10 }],
    [{ cursor: '2-45', count: '1000' }, { mode: 'page', cursor: '2-45', count: 1000 }],
  ])('paginates %j', (query, expected) => {
    expect(parseListQuery(query, 1000)).toEqual(expected);
  });

  it.each([{ count: '0' }, { count: '1001' }, { count: '1e3' }, { count: '-1' }, { count: ['1', '2'] }, { cursor: ['0', '1'] }])(
    'rejects %j',
    (query) => {
      expect(() => parseListQuery(query, 1000)).toThrow();
    },
  );
});

describe('parseDeleteKey', () => {
  it('returns the key', () => expect(parseDeleteKey('a b')).toBe('a b'));
  it.each([undefined, '', ['a', 'b']])('rejects %p', (raw) => expect(() => parseDeleteKey(raw)).toThrow());

  it.each(['%FF', '%ED%A0%80', '%E2%82', 'a%', 'a%zz', '%C0%AF'])('rejects the key of ?key=%s as not valid percent-encoded UTF-8', (encoded) => {
    expect(message(() => parseDeleteKey(parseQueryString(`key=${encoded}`).key))).toBe(
      'Query parameter "key" is not valid percent-encoded UTF-8',
    );
  });

  it.each(['\ud800', 'a\udc00', '\udc00\ud800'])('rejects a key holding a lone surrogate (%j)', (key) => {
    expect(message(() => parseDeleteKey(key))).toBe('Query parameter "key" is not well-formed Unicode: it holds a lone surrogate');
  });
});

describe('parseQueryString', () => {
  it.each([
    ['', {}],
    ['key=a', { key: 'a' }],
    ['key=a+b%20c', { key: 'a b c' }],
    ['key=%E2%82%AC%F0%9F%94%91', { key: '€🔑' }],
    ['key=100%25FF', { key: '100%FF' }],
    ['key=a=b', { key: 'a=b' }],
    ['key', { key: '' }],
    ['key=', { key: '' }],
    ['k%65y=a', { key: 'a' }],
    ['key=a&key=b&key=c', { key: ['a', 'b', 'c'] }],
    ['cursor=0&count=10&', { cursor: '0', count: '10' }],
    ['&&key=a', { key: 'a' }],
    ['=a', { '': 'a' }],
  ])('parses %j like Fastify does', (query, expected) => {
    expect({ ...parseQueryString(query) }).toEqual(expected);
  });

  it('has no prototype to pollute', () => {
    const parsed = parseQueryString('__proto__=x&constructor=y&toString=z');
    expect(Object.getPrototypeOf(Object.getPrototypeOf(parsed))).toBeNull();
    expect(Object.entries(parsed)).toEqual([['__proto__', 'x'], ['constructor', 'y'], ['toString', 'z']]);
    expect('hasOwnProperty' in parseQueryString('key=a')).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('keeps a value that cannot be decoded apart, so that readers refuse it', () => {
    const parsed = parseQueryString('key=%FF&cursor=0');
    expect(parsed.cursor).toBe('0');
    expect(typeof parsed.key).not.toBe('string');
  });

  it.each(['cursor=%FF', 'count=%ED%A0%80'])('refuses %s in /list with the same message', (query) => {
    expect(message(() => parseListQuery(parseQueryString(query), 1000))).toMatch(/^Query parameter "(cursor|count)" is not valid percent-encoded UTF-8$/);
  });
});

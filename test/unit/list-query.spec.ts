import { parseDeleteKey, parseListQuery } from '../../src/key-value/list-query';

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
});

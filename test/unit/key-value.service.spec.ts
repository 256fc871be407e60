import { HttpException } from '@nestjs/common';
import { loadConfig } from '../../src/config/app-config';
import { KeyValueService, randomToken } from '../../src/key-value/key-value.service';
import { RedisClient } from '../../src/redis/redis-client';

/** An in-memory stand-in for one Redis node: SCAN pages of 2 keys, MGET and pipelined GET. */
function fakeNode(data: Record<string, string | string[]>) {
  const keys = Object.keys(data);
  return {
    options: {},
    scan: jest.fn(async (cursor: string) => {
      const start = Number(cursor);
      const next = start + 2 >= keys.length ? '0' : String(start + 2);
      return [next, keys.slice(start, start + 2)];
    }),
    mget: jest.fn(async (wanted: string[]) => wanted.map((k) => (typeof data[k] === 'string' ? data[k] : null))),
    pipeline: (commands: [string, string][]) => ({
      exec: async () =>
        commands.map(([, k]) => (typeof data[k] === 'string' ? [null, data[k]] : [new Error('WRONGTYPE'), null])),
    }),
  };
}

function service(mode: 'standalone' | 'cluster', nodes: ReturnType<typeof fakeNode>[]) {
  const redis = {
    mode,
    primaries: () => nodes,
    run: (_: string, execute: () => Promise<unknown>) => execute(),
  } as unknown as RedisClient;
  return new KeyValueService(redis, loadConfig({ LIST_BATCH_SIZE: '1' }));
}

async function collect(generator: AsyncGenerator<string>): Promise<string> {
  let text = '';
  for await (const piece of generator) text += piece;
  return text;
}

describe('KeyValueService listing', () => {
  const a = { 'a"1': 'x\ny', a2: 'v2', a3: ['list'] };
  const b = { b1: 'w1', b2: 'w2', b3: 'w3' };

  it('streams valid JSON across nodes and batches, skipping non-strings', async () => {
    const text = await collect(service('cluster', [fakeNode(a), fakeNode(b)]).streamAll());
    expect(JSON.parse(text)).toEqual({ 'a"1': 'x\ny', a2: 'v2', b1: 'w1', b2: 'w2', b3: 'w3' });
  });

  it('streams {} for an empty store', async () => {
    expect(await collect(service('standalone', [fakeNode({})]).streamAll())).toBe('{}');
  });

  it('walks cluster pages node by node with "<node>-<cursor>" cursors', async () => {
    const kv = service('cluster', [fakeNode(a), fakeNode(b)]);
    const cursors: string[] = [];
    const seen: Record<string, string> = {};
    let cursor = '0';
    do {
      const page = await kv.page(cursor, 2);
      Object.assign(seen, page.data);
      cursor = page.cursor;
      cursors.push(cursor);
    } while (cursor !== '0');
    expect(cursors).toEqual(['0-2', '1-0', '1-2', '0']);
    expect(Object.keys(seen).sort()).toEqual(['a"1', 'a2', 'b1', 'b2', 'b3']);
  });

  it('passes the SCAN cursor through in standalone mode', async () => {
    const kv = service('standalone', [fakeNode(b)]);
    expect((await kv.page('0', 2)).cursor).toBe('2');
    expect(await kv.page('2', 2)).toEqual({ data: { b3: 'w3' }, cursor: '0' });
  });

  it.each([['standalone', '1-0'], ['standalone', 'x'], ['cluster', '2-0'], ['cluster', '-1'], ['cluster', '0-']])(
    '%s mode rejects cursor %p with 400',
    async (mode, cursor) => {
      const kv = service(mode as 'standalone' | 'cluster', [fakeNode(a), fakeNode(b)]);
      await expect(kv.page(cursor, 2)).rejects.toBeInstanceOf(HttpException);
    },
  );
});

describe('randomToken', () => {
  it('is 8 alphanumeric characters and varies', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => randomToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9]{8}$/);
  });
});

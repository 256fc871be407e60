import { HttpException } from '@nestjs/common';
import { loadConfig } from '../../src/config/app-config';
import { KeyValueService, randomToken } from '../../src/key-value/key-value.service';
import { RedisClient } from '../../src/redis/redis-client';
import { RedisCommandError } from '../../src/redis/redis-errors';

type Value = string | string[];

/** An in-memory stand-in for one Redis node: SCAN pages of 2 keys, MGET and pipelined STRLEN/GET. */
function fakeNode(port: number, data: Record<string, Value>, failing: Record<string, string> = {}) {
  const keys = Object.keys(data);
  const reply = (command: string, key: string): [Error | null, unknown] => {
    if (Object.hasOwn(failing, key)) return [new Error(failing[key]), null];
    const value = data[key];
    if (value === undefined) return [null, command === 'strlen' ? 0 : null];
    if (typeof value !== 'string') return [new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), null];
    return [null, command === 'strlen' ? value.length : value];
  };
  const node = {
    options: { host: '127.0.0.1', port },
    mgets: [] as string[][],
    scan: jest.fn(async (cursor: string) => {
      const start = Number(cursor);
      const next = start + 2 >= keys.length ? '0' : String(start + 2);
      return [next, keys.slice(start, start + 2)];
    }),
    mget: jest.fn(async (wanted: string[]) => {
      node.mgets.push(wanted);
      return wanted.map((k) => (typeof data[k] === 'string' ? data[k] : null));
    }),
    pipeline: (commands: [string, string][]) => ({ exec: async () => commands.map(([command, key]) => reply(command, key)) }),
    defineCommand: jest.fn(),
    // The standalone read script: values for as many keys as fit in the budget, at least one.
    kvRead: async (count: number, ...args: (string | number)[]) => {
      const wanted = args.slice(0, count) as string[];
      const budget = Number(args[count]);
      const values: (string | null)[] = [];
      let used = 0;
      for (const key of wanted) {
        const [error, value] = reply('get', key);
        if (error && !error.message.startsWith('WRONGTYPE')) throw error;
        const text = error ? null : (value as string | null);
        const size = key.length + (text?.length ?? 0);
        if (values.length > 0 && used + size > budget) break;
        values.push(text);
        used += size;
      }
      node.mgets.push(wanted.slice(0, values.length));
      return [values.length, ...values];
    },
  };
  return node;
}
type FakeNode = ReturnType<typeof fakeNode>;

function service(mode: 'standalone' | 'cluster', nodes: FakeNode[], env: Record<string, string> = {}) {
  // Cluster: node i serves slots [i * 16384 / n, (i + 1) * 16384 / n).
  const slots = Array.from({ length: 16384 }, (_, slot) => {
    const owner = nodes[Math.floor((slot * nodes.length) / 16384)];
    return [`127.0.0.1:${owner.options.port}`];
  });
  const redis = {
    mode,
    client: mode === 'standalone' ? nodes[0] : { slots },
    isReady: () => true,
    deadline: () => ({ at: Date.now() + 1000 }),
    primaries: () => nodes,
    run: (_: string, execute: () => Promise<unknown>) => execute(),
  } as unknown as RedisClient;
  return new KeyValueService(redis, loadConfig({ LIST_BATCH_SIZE: '2', ...env }));
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
    const text = await collect(service('cluster', [fakeNode(1, a), fakeNode(2, b)]).streamAll());
    expect(JSON.parse(text)).toEqual({ 'a"1': 'x\ny', a2: 'v2', b1: 'w1', b2: 'w2', b3: 'w3' });
  });

  it('streams {} for an empty store', async () => {
    expect(await collect(service('standalone', [fakeNode(1, {})]).streamAll())).toBe('{}');
  });

  it('keeps __proto__ and other special keys as they are', async () => {
    const special = JSON.parse('{"__proto__": "p", "constructor": "c"}') as Record<string, string>;
    const text = await collect(service('standalone', [fakeNode(1, special)]).streamAll());
    expect(Object.entries(JSON.parse(text))).toEqual([['__proto__', 'p'], ['constructor', 'c']]);
  });

  it('bounds value batches by bytes as well as by key count', async () => {
    const node = fakeNode(1, { k1: 'x'.repeat(1500), k2: 'y'.repeat(1500), k3: 'z', k4: 'w' });
    await collect(service('standalone', [node], { LIST_BATCH_BYTES: '2048', LIST_BATCH_SIZE: '100' }).streamAll());
    // One SCAN page of two keys at a time; two values of 1.5 KB never share a 2 KiB batch.
    expect(node.mgets).toEqual([['k1'], ['k2'], ['k3', 'k4']]);
  });

  it.each([['Command timed out'], ['MOVED 12182 127.0.0.1:7002'], ['READONLY replica']])(
    'fails the listing when one key fails with %p instead of leaving it out',
    async (message) => {
      const kv = service('cluster', [fakeNode(1, a), fakeNode(2, b, { b2: message })]);
      await expect(collect(kv.streamAll())).rejects.toBeInstanceOf(RedisCommandError);
    },
  );

  it('fails with a 503 cause when no primary serves any slot', async () => {
    const kv = service('cluster', [fakeNode(1, a)]);
    (kv as unknown as { redis: { primaries: () => FakeNode[] } }).redis.primaries = () => [];
    await expect(collect(kv.streamAll())).rejects.toMatchObject({ reason: 'clusterdown', status: 503 });
  });

  it('refuses full listings beyond LIST_MAX_CONCURRENT with a 503, not pages, and admits one after another ends', async () => {
    const kv = service('standalone', [fakeNode(1, b)], { LIST_MAX_CONCURRENT: '1' });
    const first = kv.streamAll();
    await first.next();
    await expect(kv.streamAll().next()).rejects.toMatchObject({ status: 503 });
    // A page is one SCAN call's keys: not counted.
    await expect(collect(kv.page(kv.parseCursor('0'), 2))).resolves.toContain('"cursor"');
    await first.return(undefined);
    await expect(collect(kv.streamAll())).resolves.toContain('"b1"');
  });

  it('walks cluster pages shard by shard, naming each shard by its first slot', async () => {
    const kv = service('cluster', [fakeNode(1, a), fakeNode(2, b)]);
    const cursors: string[] = [];
    const seen: Record<string, string> = {};
    let cursor = '0';
    do {
      const page = JSON.parse(await collect(kv.page(kv.parseCursor(cursor), 2)));
      Object.assign(seen, page.data);
      cursor = page.cursor;
      cursors.push(cursor);
    } while (cursor !== '0');
    expect(cursors.map((c) => c.replace(/-[0-9a-f]{8}-/, '-T-'))).toEqual(['0-T-2', '8192-T-0', '8192-T-2', '0']);
    expect(Object.keys(seen).sort()).toEqual(['a"1', 'a2', 'b1', 'b2', 'b3']);
  });

  it('starts a shard again when another primary serves it than the one that issued the cursor', async () => {
    const shard = fakeNode(2, b);
    const kv = service('cluster', [fakeNode(1, a), shard]);
    const page = JSON.parse(await collect(kv.page(kv.parseCursor('8192-00000000-2'), 2)));
    expect(shard.scan).toHaveBeenCalledWith('0', 'COUNT', 2);
    expect(page.data).toEqual({ b1: 'w1', b2: 'w2' });
  });

  it('passes the SCAN cursor through in standalone mode', async () => {
    const kv = service('standalone', [fakeNode(1, b)]);
    expect(JSON.parse(await collect(kv.page(kv.parseCursor('0'), 2))).cursor).toBe('2');
    expect(JSON.parse(await collect(kv.page(kv.parseCursor('2'), 2)))).toEqual({ data: { b3: 'w3' }, cursor: '0' });
  });

  it.each([
    ['standalone', '1-0'],
    ['standalone', 'x'],
    ['standalone', '18446744073709551616'],
    ['cluster', '16384-00000000-0'],
    ['cluster', '0-0000000g-0'],
    ['cluster', '5'],
    ['cluster', '-1'],
    ['cluster', '0-'],
  ])('%s mode rejects cursor %p with 400 before touching Redis', (mode, cursor) => {
    const kv = service(mode as 'standalone' | 'cluster', [fakeNode(1, a), fakeNode(2, b)]);
    expect(() => kv.parseCursor(cursor)).toThrow(HttpException);
  });

  it('accepts the largest SCAN cursor', () => {
    expect(service('standalone', [fakeNode(1, b)]).parseCursor('18446744073709551615').cursor).toBe('18446744073709551615');
  });
});

describe('randomToken', () => {
  it('is 8 alphanumeric characters and varies', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => randomToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9]{8}$/);
  });
});

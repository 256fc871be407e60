import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeys } from '../../src/auth/api-keys';
import { loadConfig } from '../../src/config/app-config';
import { parseApiKeys } from '../../src/config/environment';
import { createLogger } from '../../src/logging/logger';

const silent = createLogger('silent');

describe('ApiKeys', () => {
  it('lets everything through when no key is configured, with a warning', () => {
    const warn = jest.spyOn(silent, 'warn');
    const keys = new ApiKeys(loadConfig({}), silent);
    expect(keys.enabled).toBe(false);
    expect(keys.authorises(undefined)).toBe(true);
    expect(keys.authorises('Bearer anything')).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no API keys configured'));
  });

  it('accepts any configured key and nothing else', () => {
    const keys = new ApiKeys(loadConfig({ API_KEYS: 'alpha,beta' }), silent);
    expect(keys.accepts('alpha')).toBe(true);
    expect(keys.accepts('beta')).toBe(true);
    expect(keys.accepts('alph')).toBe(false);
    expect(keys.accepts('alphA')).toBe(false);
    expect(keys.accepts('betaalpha')).toBe(false);
    expect(keys.accepts('alpha ')).toBe(false);
    expect(keys.accepts('')).toBe(false);
  });

  it.each([undefined, '', 'Bearer', 'Bearer nope', 'Token alpha', 'alpha'])('does not authorise Authorization %p', (header) => {
    expect(new ApiKeys(loadConfig({ API_KEYS: 'alpha' }), silent).authorises(header)).toBe(false);
  });

  it.each([
    'Bearer alpha beta',
    'Bearer alpha alpha',
    'Bearer  alpha',
    'Bearer alpha ',
    ' Bearer alpha',
    'Bearer\talpha',
    'Bearer alpha\tx',
    'Bearer alpha\n',
    'Bearer\u00a0alpha',
    'Beareralpha',
    'Bearer ',
    'Bearer alpha,beta',
    'Basic alpha',
    'Bearer-alpha alpha',
  ])('requires exactly "Bearer <one token>": rejects %j', (header) => {
    expect(new ApiKeys(loadConfig({ API_KEYS: 'alpha,beta' }), silent).authorises(header)).toBe(false);
  });

  it.each(['bearer alpha', 'BEARER alpha', 'BeArEr beta', 'Bearer beta'])('accepts the scheme in any case: %j', (header) => {
    expect(new ApiKeys(loadConfig({ API_KEYS: 'alpha,beta' }), silent).authorises(header)).toBe(true);
  });

  it('reloads a keys file on its interval, keeping the old keys if the file vanishes', () => {
    jest.useFakeTimers();
    const file = join(mkdtempSync(join(tmpdir(), 'kv-keys-')), 'keys');
    writeFileSync(file, 'old-key\n\n');
    const keys = new ApiKeys(loadConfig({ API_KEYS_FILE: file }), silent);
    expect(keys.accepts('old-key')).toBe(true);
    writeFileSync(file, 'new-key\n');
    jest.advanceTimersByTime(30_000);
    expect(keys.accepts('new-key')).toBe(true);
    expect(keys.accepts('old-key')).toBe(false);
    keys.onModuleDestroy();
    jest.useRealTimers();
  });

  it.each([['emptied', ''], ['left with blank lines only', '\n  \r\n\t\n']])(
    'keeps the previous keys and logs an error when the file is %s',
    (_, text) => {
      jest.useFakeTimers();
      const error = jest.spyOn(silent, 'error').mockClear();
      const file = join(mkdtempSync(join(tmpdir(), 'kv-keys-')), 'keys');
      writeFileSync(file, 'kept-key\n');
      const keys = new ApiKeys(loadConfig({ API_KEYS_FILE: file }), silent);
      writeFileSync(file, text);
      jest.advanceTimersByTime(30_000);
      // Never fail open, and never lock everyone out on a half-written Secret either.
      expect(keys.enabled).toBe(true);
      expect(keys.accepts('kept-key')).toBe(true);
      expect(error).toHaveBeenCalledWith(expect.objectContaining({ file }), expect.stringContaining('keeping the previous set'));
      writeFileSync(file, 'next-key\n');
      jest.advanceTimersByTime(30_000);
      expect(keys.accepts('next-key')).toBe(true);
      expect(keys.accepts('kept-key')).toBe(false);
      keys.onModuleDestroy();
      jest.useRealTimers();
    },
  );

  it('parses keys in one place, for API_KEYS and for the file alike', () => {
    expect(parseApiKeys(' a , ,b,', ',')).toEqual(['a', 'b']);
    expect(parseApiKeys('a\r\n\n  b  \n', '\n')).toEqual(['a', 'b']);
    expect(parseApiKeys(' \n\t\n', '\n')).toEqual([]);
  });
});

import { ExecutionContext, HttpException } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyGuard } from '../../src/auth/api-key.guard';
import { ApiKeys } from '../../src/auth/api-keys';
import { loadConfig } from '../../src/config/app-config';
import { createLogger } from '../../src/logging/logger';

const silent = createLogger('silent');

function context(authorization?: string): { ctx: ExecutionContext; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const reply = { header: (name: string, value: string) => (headers[name] = value) };
  const request = { headers: authorization === undefined ? {} : { authorization } };
  const ctx = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ExecutionContext;
  return { ctx, headers };
}

describe('ApiKeys and ApiKeyGuard', () => {
  it('lets everything through when no key is configured, with a warning', () => {
    const warn = jest.spyOn(silent, 'warn');
    const keys = new ApiKeys(loadConfig({}), silent);
    expect(keys.enabled).toBe(false);
    expect(new ApiKeyGuard(keys).canActivate(context().ctx)).toBe(true);
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

  it.each([undefined, 'Bearer', 'Bearer nope', 'Token alpha', 'alpha'])('rejects Authorization %p with 401 and a challenge', (header) => {
    const guard = new ApiKeyGuard(new ApiKeys(loadConfig({ API_KEYS: 'alpha' }), silent));
    const { ctx, headers } = context(header);
    expect(() => guard.canActivate(ctx)).toThrow(HttpException);
    try {
      guard.canActivate(ctx);
    } catch (error) {
      expect((error as HttpException).getStatus()).toBe(401);
    }
    expect(headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('accepts "bearer" in any case', () => {
    const guard = new ApiKeyGuard(new ApiKeys(loadConfig({ API_KEYS: 'alpha' }), silent));
    expect(guard.canActivate(context('bearer alpha').ctx)).toBe(true);
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
    writeFileSync(file, '');
    jest.advanceTimersByTime(30_000);
    // An emptied file still means "keys required": never fail open.
    expect(keys.enabled).toBe(true);
    expect(keys.accepts('new-key')).toBe(false);
    keys.onModuleDestroy();
    jest.useRealTimers();
  });
});

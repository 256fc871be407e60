import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports';
import { ServiceProcess } from '../support/service-process';

// An API_KEYS_FILE of blank lines only: set, yet no key.
const blankKeysFile = join(mkdtempSync(join(tmpdir(), 'kv-keys-')), 'keys');
writeFileSync(blankKeysFile, '\n   \n\t\n');

describe('configuration is validated at start-up (real process)', () => {
  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer number/],
    [{ PORT: '70000' }, /PORT must not be greater than 65535/],
    [{ REDIS_MODE: 'sentinel' }, /REDIS_MODE must be one of the following values: standalone, cluster/],
    [{ REDIS_TLS: 'maybe' }, /REDIS_TLS must be a boolean value/],
    [{ REDIS_COMMAND_TIMEOUT_MS: '0' }, /REDIS_COMMAND_TIMEOUT_MS must not be less than 10/],
    [{ REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' }, /REDIS_TLS_CA_FILE: cannot read \/nonexistent\/ca.pem/],
    [{ PORT: '9000', MANAGEMENT_PORT: '9000' }, /MANAGEMENT_PORT must differ from PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of the following values/],
    [{ API_KEYS: ' , ' }, /API_KEYS is set but holds no key/],
    [{ API_KEYS_FILE: blankKeysFile }, new RegExp(`API_KEYS_FILE: ${blankKeysFile} holds no key`)],
  ])('%j stops the service with a message naming the variable', async (env, message) => {
    const service = ServiceProcess.spawn(env as Record<string, string>, 18_080, 19_464);
    try {
      // A service that starts anyway must fail the case, not hang it.
      const stillRunning = new Promise((resolve) => setTimeout(resolve, 15_000, 'still running').unref());
      expect(await Promise.race([service.exited(), stillRunning])).toBe(1);
      expect(service.output).toMatch(message);
      expect(service.output).not.toMatch(/\n\s+at /);
    } finally {
      await service.stop();
    }
  });
});

describe('a port already in use (real process)', () => {
  it.each([['PORT'], ['MANAGEMENT_PORT']])('stops the service with one line naming %s', async (variable) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const other = await freePort();
    try {
      const service = variable === 'PORT' ? ServiceProcess.spawn({}, port, other) : ServiceProcess.spawn({}, other, port);
      expect(await service.exited()).toBe(1);
      expect(service.output).toContain(`127.0.0.1:${port} is already in use: set ${variable} to a free port`);
      expect(service.output).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  });
});

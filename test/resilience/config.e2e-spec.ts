import { createServer, type AddressInfo } from 'node:net';
import { freePort } from '../support/ports';
import { ServiceProcess } from '../support/service-process';

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
  ])('%j stops the service with a message naming the variable', async (env, message) => {
    const service = ServiceProcess.spawn(env as Record<string, string>, 18_080, 19_464);
    expect(await service.exited()).toBe(1);
    expect(service.output).toMatch(message);
    expect(service.output).not.toMatch(/\n\s+at /);
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

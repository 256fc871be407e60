import Redis from 'ioredis';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApp, TestApp } from '../support/app';
import { RedisServer, waitFor } from '../support/redis-server';
import { freePort } from '../support/ports';
import { ServiceProcess } from '../support/service-process';

/** Stands in for the GKE metadata server (there is none off GCP); Redis itself is real. */
function metadataServer(tokens: () => { token: string; expiresIn: number }) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(String(req.headers['metadata-flavor']));
    if (req.url !== '/computeMetadata/v1/instance/service-accounts/default/token' || req.headers['metadata-flavor'] !== 'Google') {
      res.writeHead(403).end();
      return;
    }
    const { token, expiresIn } = tokens();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer' }));
  });
  return { server, seen };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('REDIS_AUTH_MODE=iam (real redis-server with requirepass)', () => {
  let redis: RedisServer;
  let t: TestApp;
  let current = 'token-one';
  const metadata = metadataServer(() => ({ token: current, expiresIn: 301 }));

  beforeAll(async () => {
    redis = await RedisServer.start(['--requirepass', 'token-one']);
    const host = await listen(metadata.server);
    t = await startApp({ REDIS_PORT: String(redis.port), REDIS_AUTH_MODE: 'iam', GCE_METADATA_HOST: host });
  });
  afterAll(async () => {
    await t?.close();
    metadata.server.close();
    await redis?.destroy();
  });

  it('authenticates with the access token from the metadata server', async () => {
    expect((await t.api().get('/').expect(200)).text).toBe('Hello Redis!');
    expect(metadata.seen[0]).toBe('Google');
  });

  it('uses the refreshed token for connections opened after a rotation', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: redis.port, password: 'token-one' });
    current = 'token-two';
    const calls = metadata.seen.length;
    // The token expires in 301 s and is refreshed 300 s early: about one second from start-up.
    await waitFor(async () => metadata.seen.length > calls, 'the token to be refreshed', 5000);
    await admin.config('SET', 'requirepass', 'token-two');
    await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await waitFor(async () => (await t.api().get('/')).status === 200, 'the service to reconnect with the new token', 10_000);
    admin.disconnect();
  });

  it('refuses to start when no token can be had: exit code 1 and one line naming the cause', async () => {
    const env = { REDIS_PORT: String(redis.port), REDIS_AUTH_MODE: 'iam', GCE_METADATA_HOST: '127.0.0.1:1' };
    const service = ServiceProcess.spawn(env, await freePort(), await freePort());
    expect(await service.exited()).toBe(1);
    expect(service.output).toMatch(/REDIS_AUTH_MODE=iam: cannot get an access token/);
    expect(service.output).not.toMatch(/\n\s+at /);
  });
});

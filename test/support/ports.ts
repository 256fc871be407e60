import { createServer } from 'node:net';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port, optionally also free at port + offset (Redis Cluster's bus port). */
export async function freePort(busOffset?: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await isFree(port)) && (busOffset === undefined || (await isFree(port + busOffset)))) return port;
  }
  throw new Error('no free port found');
}

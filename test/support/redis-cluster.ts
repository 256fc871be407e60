import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis, { Cluster } from 'ioredis';
import { RedisServer, waitFor } from './redis-server';

const run = promisify(execFile);

/** A real local Redis Cluster: three primaries, each with one replica. */
export class RedisCluster {
  private constructor(readonly servers: RedisServer[]) {}

  static async start(primaries = 3, replicasEach = 1): Promise<RedisCluster> {
    const count = primaries * (1 + replicasEach);
    const servers: RedisServer[] = [];
    for (let i = 0; i < count; i += 1) {
      servers.push(await RedisServer.start(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`,
        '--cluster-node-timeout', '2000', '--appendonly', 'no']));
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicasEach), '--cluster-yes']);
    const cluster = new RedisCluster(servers);
    await waitFor(async () => {
      const states = await Promise.all(servers.map((server) => cluster.info(server.port)));
      return states.every((info) => info.includes('cluster_state:ok'));
    }, 'cluster_state:ok on every node', 30_000);
    return cluster;
  }

  get seeds(): string {
    return this.servers.map((server) => `127.0.0.1:${server.port}`).join(',');
  }

  client(): Cluster {
    return new Cluster(this.servers.map((server) => ({ host: '127.0.0.1', port: server.port })));
  }

  async info(port: number): Promise<string> {
    const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    try {
      return await client.cluster('INFO');
    } finally {
      client.disconnect();
    }
  }

  async destroy(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.destroy()));
  }
}

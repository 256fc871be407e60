// The Redis deployments the benchmark runs against, all on loopback and started here:
// plain standalone, standalone with TLS, and a 3-primary, 3-replica Cluster with TLS and a
// password (Memorystore for Redis Cluster with in-transit encryption and an auth token).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';

const run = promisify(execFile);

export const CONFIGS = {
  plain: 'standalone, no TLS',
  tls: 'standalone, TLS',
  cluster: 'cluster 3+3, TLS, password',
};

function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port; with busOffset, also free at port + offset (Redis Cluster's bus). */
export async function freePort(busOffset) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await isFree(port)) && (busOffset === undefined || (await isFree(port + busOffset)))) return port;
  }
  throw new Error('no free loopback port found');
}

/** A throw-away CA and a server certificate for 127.0.0.1, made with openssl. */
async function makeCa(dir) {
  const file = (name) => join(dir, name);
  const ssl = (...args) => run('openssl', args, { cwd: dir });
  await ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=kv-api bench CA',
    '-keyout', file('ca.key'), '-out', file('ca.crt'));
  await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('redis.key'), '-out', file('redis.csr'));
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await ssl('x509', '-req', '-in', file('redis.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', file('san.ext'), '-out', file('redis.crt'));
  return { ca: file('ca.crt'), cert: file('redis.crt'), key: file('redis.key') };
}

async function waitUntil(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the Redis of one configuration. start(name, command, args) is the orchestrator's
 * process starter (it kills every child on exit). Returns the REDIS_* environment of the
 * servers under test and an admin API for seeding and flushing.
 */
export async function startStore(kind, start) {
  if (!CONFIGS[kind]) throw new Error(`unknown BENCH_CONFIGS entry ${kind}: use ${Object.keys(CONFIGS).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), `kv-bench-${kind}-`));
  const tls = kind === 'plain' ? undefined : await makeCa(dir);
  const password = kind === 'cluster' ? `bench-${Math.random().toString(36).slice(2)}` : undefined;
  const count = kind === 'cluster' ? 6 : 1;
  const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'local',
    '--maxmemory-policy', 'noeviction', '--dir', dir];
  const tlsArgs = tls ? ['--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', 'no'] : [];
  const authArgs = password ? ['--requirepass', password, '--masterauth', password] : [];
  const children = [];
  const ports = [];
  for (let i = 0; i < count; i += 1) {
    const port = await freePort(kind === 'cluster' ? 10_000 : undefined);
    const listen = tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
    const cluster = kind === 'cluster'
      ? ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--cluster-node-timeout', '2000',
        '--tls-cluster', 'yes', '--tls-replication', 'yes']
      : [];
    const child = start(`redis-${i}`, 'redis-server', [...listen, ...common, ...tlsArgs, ...authArgs, ...cluster]);
    await waitUntil(async () => child.output().includes('Ready to accept connections'), `redis-server on ${port}`);
    children.push(child);
    ports.push(port);
  }
  const nodeOptions = { host: '127.0.0.1', password, maxRetriesPerRequest: 1, tls: tls ? { ca: readFileSync(tls.ca) } : undefined };
  const cli = [...(tls ? ['--tls', '--cacert', tls.ca] : []), ...(password ? ['-a', password, '--no-auth-warning'] : [])];
  let admin;
  let env;
  if (kind === 'cluster') {
    await run('redis-cli', [...cli, '--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes']);
    await waitUntil(async () => {
      const states = await Promise.all(ports.map((port) => run('redis-cli', [...cli, '-p', String(port), 'cluster', 'info'])));
      return states.every(({ stdout }) => stdout.includes('cluster_state:ok'));
    }, 'cluster_state:ok on every node');
    admin = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })), {
      redisOptions: nodeOptions, enableAutoPipelining: true, dnsLookup: (address, callback) => callback(null, address),
    });
    await waitUntil(async () => (await admin.ping()) === 'PONG' && admin.nodes('master').length === 3, 'the admin cluster client');
    env = { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(',') };
  } else {
    admin = new Redis({ ...nodeOptions, port: ports[0] });
    await admin.ping();
    env = { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(ports[0]) };
  }
  if (tls) env.REDIS_TLS_CA_FILE = tls.ca;
  if (password) {
    env.REDIS_PASSWORD_FILE = join(dir, 'password');
    writeFileSync(env.REDIS_PASSWORD_FILE, `${password}\n`, { mode: 0o600 });
  }
  const primaries = () => (kind === 'cluster' ? admin.nodes('master') : [admin]);
  return {
    kind,
    env,
    children,
    primaries,
    async version() {
      return (await primaries()[0].info('server')).match(/redis_version:(\S+)/)?.[1];
    },
    async flushall() {
      await Promise.all(primaries().map((node) => node.flushall()));
    },
    /**
     * count keys named <prefix>:<n> (DEBUG POPULATE). In a cluster each primary populates its
     * share under a hash tag of one of its own slots, so every key lives where clients look.
     */
    async populate(count, prefix) {
      const nodes = primaries();
      if (kind !== 'cluster') return admin.call('DEBUG', 'POPULATE', count, prefix);
      const shares = nodes.map((_, index) => Math.floor(count / nodes.length) + (index < count % nodes.length ? 1 : 0));
      const ranges = (await admin.cluster('SLOTS')).map(([from, to, [host, port]]) => ({ from, to, at: `${host}:${port}` }));
      await Promise.all(nodes.map(async (node, index) => {
        const at = `${node.options.host}:${node.options.port}`;
        for (let tag = 0; ; tag += 1) {
          const slot = await admin.cluster('KEYSLOT', `{${index}-${tag}}`);
          if (ranges.some((r) => r.at === at && slot >= r.from && slot <= r.to)) {
            return node.call('DEBUG', 'POPULATE', shares[index], `{${index}-${tag}}${prefix}`);
          }
        }
      }));
    },
    async stop(stopChild) {
      admin.disconnect();
      for (const child of children) await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

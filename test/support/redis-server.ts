import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './ports';

function requireBinary(name: string): void {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${name} not found: the tests need a real Redis. Install it with 'sudo apt-get install -y redis-server redis-tools'`);
  }
}

/** True once the server answers PING at all (+PONG, or -NOAUTH when it wants a password). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('data', (reply) => {
      resolve(/^(\+PONG|-NOAUTH)/.test(reply.toString()));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** What an e2e suite needs of Redis: where it is, and a client for set-up and assertions. */
export interface RedisTarget {
  readonly port: number;
  /** The service's REDIS_* variables pointing at this server. */
  env(): Record<string, string>;
  client(): Redis;
  destroy(): Promise<void>;
}

/**
 * The server of the e2e suites: an existing one when TEST_REDIS_HOST is set
 * (GitLab's Redis service; run the suites in band, each flushes it first),
 * else a throw-away local redis-server.
 */
export async function redisForSuite(): Promise<RedisTarget> {
  const host = process.env.TEST_REDIS_HOST;
  if (!host) return RedisServer.start();
  const port = Number(process.env.TEST_REDIS_PORT ?? 6379);
  const client = () => new Redis({ host, port, maxRetriesPerRequest: 1 });
  const admin = client();
  await admin.flushall();
  admin.disconnect();
  return { port, env: () => ({ REDIS_HOST: host, REDIS_PORT: String(port) }), client, destroy: async () => undefined };
}

/** A throw-away redis-server on a free loopback port, with no persistence. */
export class RedisServer implements RedisTarget {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'kv-redis-'));

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  static async start(extraArgs: string[] = [], port?: number): Promise<RedisServer> {
    requireBinary('redis-server');
    const server = new RedisServer(port ?? (await freePort(10_000)), extraArgs);
    await server.launch();
    return server;
  }

  env(): Record<string, string> {
    return { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(this.port) };
  }

  /** A plain client for test set-up and assertions. */
  client(): Redis {
    return new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1 });
  }

  async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', this.dir, '--daemonize', 'no', ...this.extraArgs];
    this.process = spawn('redis-server', args, { stdio: 'ignore' });
    await waitFor(() => answersPing(this.port), `redis-server on ${this.port}`);
  }

  /** Stops the server the hard way, as a crash or a failover would. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the server: connections stay open, nothing answers. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async destroy(): Promise<void> {
    this.resume();
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export { waitFor };

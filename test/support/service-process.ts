import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';
import { waitFor } from './redis-server';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** The compiled service as a separate process, as the container runs it. */
export class ServiceProcess {
  output = '';
  private exit?: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly managementPort: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    // 'close': the exit code once stdout and stderr are drained, so output is whole.
    this.exit = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  static spawn(env: Record<string, string>, port = 0, managementPort = 0): ServiceProcess {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first`);
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', PORT: String(port), MANAGEMENT_PORT: String(managementPort), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child, port, managementPort);
  }

  /**
   * Spawns the service on two free ports and waits until it listens. Ports are picked at random
   * while other suites run in parallel, so one may be taken between the check and the bind: a
   * start that exits on a taken port is retried on new ports; any other early exit fails at once
   * with the service's output, instead of waiting out the deadline.
   */
  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      let managementPort = await freePort();
      while (managementPort === port) managementPort = await freePort();
      const service = ServiceProcess.spawn(env, port, managementPort);
      let exited = false;
      void service.exited().then(() => (exited = true));
      await waitFor(async () => exited || (await fetch(service.url('/health/live', true))).ok, 'the service to listen', 20_000);
      if (!exited) return service;
      if (attempt < 3 && /already in use/.test(service.output)) continue;
      throw new Error(`the service exited before listening:\n${service.output.slice(-2000)}`);
    }
  }

  /** Resolves once readiness passes: listening is not yet connected to Redis. */
  async ready(timeoutMs = 20_000): Promise<void> {
    await waitFor(async () => (await fetch(this.url('/health/ready', true))).ok, 'readiness', timeoutMs);
  }

  url(path: string, management = false): string {
    return `http://127.0.0.1:${management ? this.managementPort : this.port}${path}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  exited(): Promise<number | null> {
    return this.exit!;
  }

  async stop(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exit;
  }
}

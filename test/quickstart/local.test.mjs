// The README's first command, `npm run local`, as a user runs it: it serves, and whatever
// stops it leaves no process and no Redis directory behind; a taken port gets one clear line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(check, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A process counts as gone once it has exited, reaped or not (an orphan's zombie is gone).
function alive(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

// Every descendant of pid, from /proc.
function descendants(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found = [];
  const walk = (p) => {
    for (const [child, parent] of parents) if (parent === p) { found.push(child); walk(child); }
  };
  walk(pid);
  return found;
}

// npm run local in a session of its own, as a terminal would hold it.
function startLocal(env) {
  const child = spawn('npm', ['run', 'local'], { cwd: repo, detached: true, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output };
}

for (const [how, stop] of [
  ['SIGTERM to the npm process', (child) => process.kill(child.pid, 'SIGTERM')],
  ['SIGINT to the npm process', (child) => process.kill(child.pid, 'SIGINT')],
  ['SIGHUP to the whole session (terminal closed)', (child) => process.kill(-child.pid, 'SIGHUP')],
]) {
  test(`npm run local serves, and ${how} leaves nothing behind`, { timeout: 120_000 }, async () => {
    const port = await freePort();
    const local = startLocal({ PORT: String(port), MANAGEMENT_PORT: String(await freePort()) });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, 'GET / to answer', 90_000);
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), 'Hello Redis!');
      const redisPort = Number(/ephemeral Redis on 127\.0\.0\.1:(\d+)/.exec(local.output())?.[1]);
      const redis = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true });
      await redis.connect();
      const [, dir] = await redis.config('GET', 'dir');
      redis.disconnect();
      assert.ok(existsSync(dir), `Redis directory ${dir} exists while running`);
      const started = descendants(local.child.pid);
      assert.ok(started.length >= 3, `bash, redis-server and node run under npm (found ${started.length})`);

      stop(local.child);
      await waitFor(async () => !started.some(alive), 'every process npm started to end', 20_000)
        .catch(() => assert.fail(`still running: ${started.filter(alive).join(' ')}\n${local.output()}`));
      assert.equal(existsSync(dir), false, `Redis directory ${dir} left behind`);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'nothing answers on the port any more');
    } finally {
      try {
        process.kill(-local.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

test('npm run local on a taken port says which variable to change, without a stack trace', { timeout: 120_000 }, async () => {
  const taken = createServer();
  await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address();
  try {
    const local = startLocal({ PORT: String(port), MANAGEMENT_PORT: String(await freePort()) });
    const { code } = await local.exited;
    assert.notEqual(code, 0);
    assert.match(local.output(), new RegExp(`127\\.0\\.0\\.1:${port} is already in use: choose another port with PORT`));
    assert.doesNotMatch(local.output(), /\n\s+at /);
  } finally {
    taken.close();
  }
});

// Load benchmark: the service against a minimal node:http ceiling, same Redis,
// same load generator, same run. See docs/performance.md. Started by bench/run.sh.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');

const env = (name, fallback) => process.env[name] || fallback;
const options = {
  duration: Number(env('BENCH_DURATION', '8')),
  warmup: Number(env('BENCH_WARMUP', '3')),
  // Rounds repeat every measurement; medians and per-round ratios damp a shared machine's drift.
  rounds: Number(env('BENCH_ROUNDS', '3')),
  connections: Number(env('BENCH_CONNECTIONS', '50')),
  threads: Number(env('BENCH_THREADS', '1')),
  scenarios: env('BENCH_SCENARIOS', 'hello,write,delete,list,mixed').split(','),
  servers: env('BENCH_SERVERS', 'service,nest-floor,fastify-floor,reference').split(','),
  listKeys: Number(env('BENCH_LIST_KEYS', '1000000')),
  // full: every target of docs/performance.md; smoke: zero errors only (CI).
  targets: env('BENCH_TARGETS', 'full'),
  results: env('BENCH_RESULTS_DIR', join(BENCH_DIR, 'results')),
};

const SCENARIOS = {
  hello: 'GET /',
  write: 'POST /write (unique keys)',
  delete: 'DELETE /delete (pre-seeded keys)',
  list: 'GET /list?count=100',
  mixed: 'mixed 80% read / 20% write',
};
// The comparison servers: the ceiling, and the floors under the service (bench/*-server.js).
const SCRIPTS = {
  reference: 'reference-server.js',
  'fastify-floor': 'fastify-floor-server.js',
  'nest-floor': 'nest-floor-server.js',
};
// The floors answer the scenarios with a throughput target only.
const FLOOR_SCENARIOS = new Set(['hello', 'write']);
const LIST_SEED_KEYS = 10_000;
const SLOWLOG_THRESHOLD_US = 10_000;
const API_KEY = randomBytes(16).toString('hex');

const children = new Set();
const log = (line) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- processes

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function start(name, command, args, extraEnv = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  child.output = () => output;
  child.label = name;
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

async function waitUntil(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

function killAll() {
  for (const child of children) child.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

// ------------------------------------------------------------ /proc sampling

function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/** User + system CPU seconds of a process. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5), counted after the command name; 100 ticks/s on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Polls VmRSS every 50 ms until stopped; returns the peak in kB. */
function rssSampler(pid) {
  let peak = procStatus(pid).rssKb;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, procStatus(pid).rssKb);
    } catch {
      // process gone: keep the last peak
    }
  }, 50);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

function heartbeat(label, seconds) {
  const started = Date.now();
  const timer = setInterval(() => {
    const elapsed = Math.round((Date.now() - started) / 1000);
    log(`      ... ${label}: ${elapsed}s${seconds ? ` of ${seconds}s` : ''}`);
  }, 5000);
  return () => clearInterval(timer);
}

// ----------------------------------------------------------------- load runs

function runWrk(server, scenario, seconds, phase) {
  const args = ['-t', String(options.threads), '-c', String(options.connections), '-d', `${seconds}s`,
    '--timeout', '2s', '-s', join(BENCH_DIR, 'wrk', 'scenario.lua'), `http://127.0.0.1:${server.port}`];
  const wrk = start('wrk', 'wrk', args, {
    BENCH_SCENARIO: scenario,
    BENCH_API_KEY: API_KEY,
    BENCH_THREADS: String(options.threads),
    BENCH_PHASE: `${server.name}-${phase}`,
  });
  return wrk.exited.then(async (code) => {
    // wrk leaves requests in flight when it stops: let the server finish them before Redis is reset.
    await sleep(1000);
    const line = wrk.output().split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}):\n${wrk.output()}`);
    return JSON.parse(line.slice('BENCH_RESULT '.length));
  });
}

/** Puts Redis in the state a scenario starts from, so both servers see the same data. */
async function prepare(redis, scenario, expectedRequests) {
  await redis.flushall();
  if (scenario === 'list' || scenario === 'mixed') await redis.call('DEBUG', 'POPULATE', LIST_SEED_KEYS, 'key');
  // One key per expected delete, with a margin; any shortfall shows up as 404s.
  if (scenario === 'delete') await redis.call('DEBUG', 'POPULATE', Math.max(100_000, expectedRequests), 'del');
}

async function measure(server, redis, scenario, expectedRate, warmup) {
  const expected = Math.ceil(expectedRate * Math.max(options.duration, options.warmup) * 2);
  if (warmup > 0) {
    await prepare(redis, scenario, expected);
    await runWrk(server, scenario, warmup, 'warmup');
  }
  // Again after the warm-up: the measured run deletes the same keys from the start.
  await prepare(redis, scenario, expected);
  const cpuBefore = cpuSeconds(server.child.pid);
  const stopSampling = rssSampler(server.child.pid);
  const stopHeartbeat = heartbeat(`${scenario} on ${server.name}`, options.duration);
  let raw;
  try {
    raw = await runWrk(server, scenario, options.duration, 'run');
  } finally {
    stopHeartbeat();
  }
  const peakRssKb = stopSampling();
  const cpu = cpuSeconds(server.child.pid) - cpuBefore;
  const seconds = raw.duration_us / 1e6;
  // 404s on delete are reported apart; every other non-2xx or socket error is an error.
  const nonSuccess = raw.status - raw.not_found;
  const errors = raw.connect + raw.read + raw.write + raw.timeout + nonSuccess;
  return {
    scenario,
    server: server.name,
    requests: raw.requests,
    rps: raw.requests / seconds,
    p50Ms: raw.p50_us / 1000,
    p99Ms: raw.p99_us / 1000,
    p999Ms: raw.p999_us / 1000,
    maxMs: raw.max_us / 1000,
    errors,
    notFound: raw.not_found,
    socketErrors: { connect: raw.connect, read: raw.read, write: raw.write, timeout: raw.timeout },
    peakRssMb: peakRssKb / 1024,
    cpuMsPerRequest: (cpu * 1000) / Math.max(1, raw.requests),
    cpuUtilisation: cpu / seconds,
  };
}

// ------------------------------------------------------------------ servers

async function startRedis() {
  const port = await freePort();
  const child = start('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--enable-debug-command', 'local', '--maxmemory-policy', 'noeviction']);
  await waitUntil(() => child.output().includes('Ready to accept connections'), 'redis-server');
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  await redis.ping();
  return { child, port, redis };
}

async function startServer(name, redisPort) {
  const port = await freePort();
  const common = { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisPort), API_KEYS: API_KEY, PORT: String(port) };
  let child;
  let ready;
  if (name === 'service') {
    const managementPort = await freePort();
    child = start(name, process.execPath, [...nodeFlags('service'), 'dist/main.js'], {
      ...common,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      MANAGEMENT_PORT: String(managementPort),
      // Stopping the benchmark needs no drain delay; it does not change request handling.
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      // e.g. --max-old-space-size=256, to see the footprint under a pod's memory limit.
      ...(process.env.BENCH_SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS } : {}),
    });
    ready = `http://127.0.0.1:${managementPort}/health/ready`;
  } else {
    child = start(name, process.execPath, [...nodeFlags(name), join(BENCH_DIR, SCRIPTS[name])], {
      ...common,
      NODE_ENV: 'production',
    });
    ready = `http://127.0.0.1:${port}/ready`;
  }
  await waitUntil(async () => (await fetch(ready)).ok, `${name} to be ready`);
  return { name, port, child, floor: name.endsWith('-floor') };
}

// BENCH_CPU_PROF=service writes a V8 CPU profile of that server to bench/results/profiles.
function nodeFlags(name) {
  if (!env('BENCH_CPU_PROF', '').split(',').includes(name)) return [];
  const dir = join(options.results, 'profiles');
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

// ------------------------------------------------------- /list of 1M keys

async function listEverything(server, redis) {
  const total = options.listKeys;
  await redis.flushall();
  const seedStarted = Date.now();
  await redis.call('DEBUG', 'POPULATE', total, 'key');
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  log(`      seeded ${total} keys in ${seedSeconds.toFixed(1)}s`);
  await redis.config('SET', 'slowlog-log-slower-than', String(SLOWLOG_THRESHOLD_US));
  await redis.config('SET', 'slowlog-max-len', '1024');
  await redis.slowlog('RESET');

  const baselineKb = procStatus(server.child.pid).rssKb;
  const stopSampling = rssSampler(server.child.pid);
  const stopHeartbeat = heartbeat('/list over all keys', 0);
  const started = Date.now();
  let body = '';
  let status = 0;
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/list`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      signal: AbortSignal.timeout(300_000),
    });
    status = response.status;
    body = await response.text();
  } finally {
    stopHeartbeat();
  }
  const seconds = (Date.now() - started) / 1000;
  const peakKb = stopSampling();
  let listed = -1;
  try {
    listed = Object.keys(JSON.parse(body)).length;
  } catch {
    // reported as a failed listing below
  }
  const slow = (await redis.slowlog('GET', '1024'))
    .map(([, , micros, argv]) => ({ command: String(argv[0]).toLowerCase(), micros }))
    .filter((entry) => entry.command === 'scan' || entry.command === 'mget');
  await redis.config('SET', 'slowlog-log-slower-than', '10000');
  await redis.flushall();
  return {
    keys: total,
    seedSeconds,
    status,
    listed,
    bytes: body.length,
    seconds,
    baselineRssMb: baselineKb / 1024,
    peakRssMb: peakKb / 1024,
    rssGrowthMb: (peakKb - baselineKb) / 1024,
    slowCommands: slow,
  };
}

// ---------------------------------------------------------------- reporting

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: cpus().length,
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

const pad = (value, width) => String(value).padStart(width);
const fixed = (value, digits = 1) => (value === undefined ? '-' : value.toFixed(digits));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Each server's runs of a scenario in one line: medians over rounds, sums of errors, peaks of memory. */
function summarise(runs) {
  const groups = new Map();
  for (const r of runs) groups.set(`${r.scenario} ${r.server}`, [...(groups.get(`${r.scenario} ${r.server}`) ?? []), r]);
  const rank = (r) => options.scenarios.indexOf(r.scenario) * 100 + options.servers.indexOf(r.server);
  return [...groups.values()].map((group) => {
    const of = (field) => group.map((r) => r[field]);
    const ratios = group.map((r) => r.ratio).filter((x) => x !== undefined);
    return {
      scenario: group[0].scenario,
      server: group[0].server,
      rounds: group.length,
      requests: of('requests').reduce((a, b) => a + b, 0),
      rps: median(of('rps')),
      ratio: ratios.length ? median(ratios) : undefined,
      ratioMin: ratios.length ? Math.min(...ratios) : undefined,
      ratioMax: ratios.length ? Math.max(...ratios) : undefined,
      p50Ms: median(of('p50Ms')),
      p99Ms: median(of('p99Ms')),
      p99MaxMs: Math.max(...of('p99Ms')),
      p999Ms: median(of('p999Ms')),
      maxMs: Math.max(...of('maxMs')),
      errors: of('errors').reduce((a, b) => a + b, 0),
      notFound: of('notFound').reduce((a, b) => a + b, 0),
      peakRssMb: Math.max(...of('peakRssMb')),
      cpuMsPerRequest: median(of('cpuMsPerRequest')),
    };
  }).sort((a, b) => rank(a) - rank(b));
}

function table(results) {
  const header = ['scenario', 'server', 'req/s', 'ratio', 'range', 'p50 ms', 'p99 ms', 'p99.9 ms', 'errors', '404s', 'peak RSS MB', 'CPU ms/req'];
  const widths = [9, 13, 7, 6, 10, 7, 7, 9, 7, 6, 12, 11];
  const lines = [header.map((h, i) => (i < 2 ? h.padEnd(widths[i]) : pad(h, widths[i]))).join(' ')];
  for (const r of results) {
    const range = r.ratio === undefined ? '-' : `${fixed(r.ratioMin, 2)}-${fixed(r.ratioMax, 2)}`;
    lines.push([r.scenario.padEnd(widths[0]), r.server.padEnd(widths[1]), pad(Math.round(r.rps), widths[2]),
      pad(r.ratio === undefined ? '-' : fixed(r.ratio, 2), widths[3]), pad(range, widths[4]), pad(fixed(r.p50Ms, 2), widths[5]),
      pad(fixed(r.p99Ms, 2), widths[6]), pad(fixed(r.p999Ms, 2), widths[7]), pad(r.errors, widths[8]),
      pad(r.notFound, widths[9]), pad(fixed(r.peakRssMb), widths[10]), pad(fixed(r.cpuMsPerRequest, 3), widths[11])].join(' '));
  }
  return lines.join('\n');
}

function checkTargets(results, list) {
  const checks = [];
  const check = (name, ok, detail) => checks.push({ name, ok, detail });
  const service = results.filter((r) => r.server === 'service');
  for (const r of service) check(`${r.scenario}: zero errors`, r.errors === 0, `${r.errors} errors`);
  if (options.targets === 'full') {
    for (const scenario of ['hello', 'write']) {
      const r = service.find((x) => x.scenario === scenario);
      if (r?.ratio !== undefined) {
        check(`${scenario}: service >= 0.70 of reference`, r.ratio >= 0.7,
          `median ratio ${fixed(r.ratio, 2)} over ${r.rounds} round(s), range ${fixed(r.ratioMin, 2)}-${fixed(r.ratioMax, 2)}`);
      }
    }
    for (const r of service) {
      check(`${r.scenario}: p99 <= 25 ms`, r.p99Ms <= 25, `median p99 ${fixed(r.p99Ms, 2)} ms, worst round ${fixed(r.p99MaxMs, 2)} ms`);
    }
    if (list) {
      check('/list all keys: complete', list.status === 200 && list.listed === list.keys, `status ${list.status}, ${list.listed} of ${list.keys} keys`);
      check('/list all keys: RSS growth < 100 MB', list.rssGrowthMb < 100, `${fixed(list.rssGrowthMb)} MB`);
      check('/list all keys: no SCAN/MGET >= 10 ms', list.slowCommands.length === 0,
        list.slowCommands.length ? JSON.stringify(list.slowCommands.slice(0, 5)) : 'SLOWLOG empty');
    }
  }
  return checks;
}

// ---------------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const info = machine();
  const unknown = options.servers.filter((name) => name !== 'service' && !SCRIPTS[name]);
  if (unknown.length) throw new Error(`unknown BENCH_SERVERS ${unknown.join(', ')}: use service, ${Object.keys(SCRIPTS).join(', ')}`);
  log(`kv-api benchmark: ${options.rounds} round(s) of ${options.duration}s per scenario per server ` +
    `(+${options.warmup}s warm-up in round 1), ` +
    `${options.connections} connections, wrk ${options.threads} thread(s); ${info.nproc} CPUs, ${info.cpuModel}`);
  const store = await startRedis();
  info.redis = (await store.redis.info('server')).match(/redis_version:(\S+)/)?.[1];
  const servers = [];
  for (const name of options.servers) servers.push(await startServer(name, store.port));

  const runs = [];
  let results = [];
  let list;
  try {
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const [index, scenario] of options.scenarios.entries()) {
        const taking = servers.filter((server) => !server.floor || FLOOR_SCENARIOS.has(scenario));
        // Alternate which server goes first, so that drift on a shared machine does not favour one.
        const order = (index + round) % 2 === 0 ? taking : [...taking].reverse();
        for (const server of order) {
          log(`==> round ${round}/${options.rounds}: ${SCENARIOS[scenario]} on ${server.name}`);
          const previous = runs.find((r) => r.server === server.name && r.scenario === 'hello');
          const result = await measure(server, store.redis, scenario, previous?.rps ?? 30_000, round === 1 ? options.warmup : 0);
          runs.push({ round, ...result });
          log(`    ${Math.round(result.rps)} req/s, p99 ${fixed(result.p99Ms, 2)} ms, ${result.errors} errors` +
            (scenario === 'delete' ? `, ${result.notFound} not found` : ''));
        }
      }
    }
    // A ratio pairs runs of the same round, minutes apart at most.
    for (const r of runs) {
      const reference = runs.find((x) => x.server === 'reference' && x.scenario === r.scenario && x.round === r.round);
      if (r.server !== 'reference' && reference) r.ratio = r.rps / reference.rps;
    }
    results = summarise(runs);
    const service = servers.find((s) => s.name === 'service');
    if (service && options.listKeys > 0) {
      log(`==> GET /list (streamed) over ${options.listKeys} keys on service`);
      list = await listEverything(service, store.redis);
      log(`    ${list.listed} keys, ${(list.bytes / 2 ** 20).toFixed(1)} MB in ${fixed(list.seconds)}s, ` +
        `RSS ${fixed(list.baselineRssMb)} -> ${fixed(list.peakRssMb)} MB`);
    }
    for (const server of servers) server.hwmMb = procStatus(server.child.pid).hwmKb / 1024;
  } finally {
    for (const server of servers) await stop(server.child);
    await store.redis.quit().catch(() => {});
    await stop(store.child);
  }

  const checks = checkTargets(results, list);
  log('');
  log(table(results));
  if (list) {
    log(`\n/list over ${list.keys} keys: ${list.listed} listed, ${fixed(list.seconds)}s, RSS growth ${fixed(list.rssGrowthMb)} MB, ` +
      `${list.slowCommands.length} SCAN/MGET >= ${SLOWLOG_THRESHOLD_US / 1000} ms`);
  }
  log(`peak RSS over the run (VmHWM): ${servers.map((s) => `${s.name} ${fixed(s.hwmMb)} MB`).join(', ')}`);
  log('');
  for (const c of checks) log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name} (${c.detail})`);

  mkdirSync(options.results, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(options.results, `${stamp}.json`);
  const hwm = Object.fromEntries(servers.map((s) => [s.name, s.hwmMb]));
  writeFileSync(file, `${JSON.stringify({ machine: info, options, results, runs, list, peakRssMb: hwm, checks }, null, 2)}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  log(`\nresults: ${file} (${Math.round((Date.now() - started) / 1000)}s)`);
  log(`${checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error.stack ?? error}\n`);
  for (const child of children) process.stderr.write(`--- ${child.label} output:\n${child.output().slice(-3000)}\n`);
  killAll();
  process.exit(2);
});

// Load benchmark: the service beside a bare NestJS floor and a node:http reference, on the
// Redis deployments production runs (TLS; a TLS cluster with a password), same Redis, same
// load generator, same rounds; then open-loop latency, memory and the capacity model.
// See docs/performance.md. Started by bench/run.sh.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { capacityModel, chartSettings } from './capacity.mjs';
import { noCgroups, podCgroups } from './cgroup.mjs';
import { openLoop } from './openloop.mjs';
import { latencySvg } from './plot.mjs';
import { CONFIGS, freePort, startStore } from './stores.mjs';
import { renderReport, updateDocs } from './report.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');

const env = (name, fallback) => process.env[name] || fallback;
// A list knob; 'none' empties it.
const list = (name, fallback) => env(name, fallback).split(',').filter((item) => item && item !== 'none');
const options = {
  configs: list('BENCH_CONFIGS', 'tls,cluster'),
  duration: Number(env('BENCH_DURATION', '3')),
  warmup: Number(env('BENCH_WARMUP', '2')),
  // Rounds repeat every measurement; medians and per-round ratios damp a shared machine's drift.
  rounds: Number(env('BENCH_ROUNDS', '3')),
  connections: Number(env('BENCH_CONNECTIONS', '50')),
  threads: Number(env('BENCH_THREADS', '1')),
  scenarios: list('BENCH_SCENARIOS', 'hello,write,mixed'),
  servers: list('BENCH_SERVERS', 'service,service-unlimited,nest-floor,reference'),
  openLoads: list('BENCH_OPEN_LOADS', '25,50,75').map(Number),
  openScenarios: list('BENCH_OPEN_SCENARIOS', 'hello,write,mixed'),
  openSeconds: Number(env('BENCH_OPEN_SECONDS', '3')),
  openRounds: Number(env('BENCH_OPEN_ROUNDS', '3')),
  pairedLoad: Number(env('BENCH_PAIRED_LOAD', '25')),
  pairedSeconds: Number(env('BENCH_PAIRED_SECONDS', '4')),
  listKeys: Number(env('BENCH_LIST_KEYS', '1000000')),
  // full: every target of docs/performance.md; smoke: zero errors only (CI).
  targets: env('BENCH_TARGETS', 'full'),
  // Rewrites the generated parts of docs/performance.md and the latency plot (full runs).
  writeDocs: env('BENCH_WRITE_DOCS', env('BENCH_TARGETS', 'full') === 'full' ? '1' : '0') === '1',
  results: env('BENCH_RESULTS_DIR', join(BENCH_DIR, 'results')),
};

const SCENARIOS = {
  hello: 'GET /',
  write: 'POST /write',
  delete: 'DELETE /delete',
  list: 'GET /list?count=100',
  mixed: 'mixed',
};
// The comparison servers, bench/*-server.js; the service runs twice, with its limits as
// shipped and with them out of reach (SERVICE_UNLIMITED).
const SCRIPTS = {
  reference: 'reference-server.js',
  'fastify-floor': 'fastify-floor-server.js',
  'nest-floor': 'nest-floor-server.js',
};
// The resilience limits set out of reach: in-flight caps at their maxima, deadlines at 10 s
// (REDIS_COMMAND_TIMEOUT_MS' maximum) and 10 min. The bookkeeping still runs; what this
// prices is the limits as configured, against the same code never reaching them.
const SERVICE_UNLIMITED = {
  REDIS_MAX_INFLIGHT_COMMANDS: '1000000',
  REDIS_MAX_INFLIGHT_BYTES: String(1024 ** 3),
  MAX_INFLIGHT_BODY_BYTES: String(4 * 1024 ** 3),
  REDIS_COMMAND_TIMEOUT_MS: '10000',
  REQUEST_TIMEOUT_MS: '600000',
  LIST_MAX_CONCURRENT: '1000',
};
// The floors and the unlimited service answer the two routes with targets only.
const PAIRED_SCENARIOS = new Set(['hello', 'write']);
// The open-loop load of the p99 target, in % of saturation.
const TARGET_LOAD = 50;
const LIST_SEED_KEYS = 10_000;
const SLOWLOG_THRESHOLD_US = 10_000;
const API_KEY = randomBytes(16).toString('hex');
const VALUE = 'v'.repeat(64);

const children = new Set();
// Set in main(): the pod's memory cgroup per server, or why there is none.
let cgroups = noCgroups('not set up yet');
const log = (line) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- processes

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
  child.exited = new Promise((resolve) => {
    child.once('exit', resolve);
    child.once('error', (error) => {
      output += `\n${error.message}`;
      resolve(127);
    });
  });
  child.output = () => output;
  child.label = name;
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

async function waitUntil(check, what, timeoutMs = 30_000) {
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
  cgroups.remove();
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

/** CPU, peak RSS and wall time of a server around one load run. */
async function observed(server, label, seconds, body) {
  const cpuBefore = cpuSeconds(server.child.pid);
  const stopSampling = rssSampler(server.child.pid);
  const stopHeartbeat = heartbeat(label, seconds);
  let result;
  try {
    result = await body();
  } finally {
    stopHeartbeat();
  }
  return { result, cpu: cpuSeconds(server.child.pid) - cpuBefore, peakRssMb: stopSampling() / 1024 };
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
    await sleep(500);
    const line = wrk.output().split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}):\n${wrk.output()}`);
    return JSON.parse(line.slice('BENCH_RESULT '.length));
  });
}

/** Puts Redis in the state a scenario starts from, so every server sees the same data. */
async function prepare(store, scenario, expectedRequests) {
  await store.flushall();
  if (scenario === 'list' || scenario === 'mixed') await store.populate(LIST_SEED_KEYS, 'key');
  // One key per expected delete, with a margin; any shortfall shows up as 404s.
  if (scenario === 'delete') await store.populate(Math.max(100_000, expectedRequests), 'del');
}

async function measure(server, store, scenario, expectedRate, warmup) {
  const expected = Math.ceil(expectedRate * Math.max(options.duration, options.warmup) * 2);
  if (warmup > 0) {
    await prepare(store, scenario, expected);
    await runWrk(server, scenario, warmup, 'warmup');
  }
  // Again after the warm-up: the measured run deletes the same keys from the start.
  await prepare(store, scenario, expected);
  const { result: raw, cpu, peakRssMb } = await observed(server, `${scenario} on ${server.name}`, options.duration,
    () => runWrk(server, scenario, options.duration, 'run'));
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
    peakRssMb,
    cpuMsPerRequest: (cpu * 1000) / Math.max(1, raw.requests),
    cpuUtilisation: cpu / seconds,
  };
}

// ------------------------------------------------------------------ servers

async function startServer(name, store, nodeOptions) {
  const port = await freePort();
  const common = { ...store.env, API_KEYS: API_KEY, PORT: String(port), NODE_ENV: 'production', NODE_OPTIONS: nodeOptions };
  let child;
  let ready;
  if (name.startsWith('service')) {
    const managementPort = await freePort();
    child = start(name, ...cgroups.wrap(name, process.execPath, [...nodeFlags(name), 'dist/main.js']), {
      ...common,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      MANAGEMENT_PORT: String(managementPort),
      // Stopping the benchmark needs no drain delay; it does not change request handling.
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      ...(name === 'service-unlimited' ? SERVICE_UNLIMITED : {}),
    });
    ready = `http://127.0.0.1:${managementPort}/health/ready`;
  } else {
    child = start(name, ...cgroups.wrap(name, process.execPath, [...nodeFlags(name), join(BENCH_DIR, SCRIPTS[name])]), common);
    ready = `http://127.0.0.1:${port}/ready`;
  }
  await waitUntil(async () => (await fetch(ready)).ok, `${name} to be ready`);
  return { name, port, child, paired: name !== 'service' && name !== 'reference' };
}

// BENCH_CPU_PROF=service writes a V8 CPU profile of that server to bench/results/profiles.
function nodeFlags(name) {
  if (!env('BENCH_CPU_PROF', '').split(',').includes(name)) return [];
  const dir = join(options.results, 'profiles');
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

// ------------------------------------------------------- /list of 1M keys

async function listEverything(server, store) {
  const total = options.listKeys;
  await store.flushall();
  const seedStarted = Date.now();
  await store.populate(total, 'key');
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  log(`      seeded ${total} keys in ${seedSeconds.toFixed(1)}s`);
  for (const node of store.primaries()) {
    await node.config('SET', 'slowlog-log-slower-than', String(SLOWLOG_THRESHOLD_US));
    await node.config('SET', 'slowlog-max-len', '1024');
    await node.slowlog('RESET');
  }
  const baselineKb = procStatus(server.child.pid).rssKb;
  const { result: { status, body, failure }, peakRssMb } = await observed(server, '/list over all keys', 0, async () => {
    let response;
    try {
      response = await fetch(`http://127.0.0.1:${server.port}/list`, {
        headers: { authorization: `Bearer ${API_KEY}` },
        signal: AbortSignal.timeout(120_000),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      // A listing the service aborts after its first bytes: reported as a failed listing, with why.
      const last = server.child.output().trim().split('\n').at(-1) ?? '';
      let why = last;
      try {
        const line = JSON.parse(last);
        why = [line.message, line.err].filter(Boolean).join(': ');
      } catch {
        // not a log line: as it is
      }
      return { status: response?.status ?? 0, body: '', failure: `${error.message}; the service's last line: ${why}` };
    }
  });
  if (failure) log(`    listing failed: ${failure}`);
  let listed = -1;
  try {
    listed = Object.keys(JSON.parse(body)).length;
  } catch {
    // reported as a failed listing below
  }
  const slow = [];
  for (const node of store.primaries()) {
    slow.push(...(await node.slowlog('GET', '1024'))
      .map(([, , micros, argv]) => ({ command: String(argv[0]).toLowerCase(), micros }))
      .filter((entry) => ['scan', 'mget', 'evalsha', 'eval'].includes(entry.command)));
  }
  await store.flushall();
  return { keys: total, seedSeconds, status, failure, listed, bytes: body.length, baselineRssMb: baselineKb / 1024,
    peakRssMb, rssGrowthMb: peakRssMb - baselineKb / 1024, slowCommands: slow };
}

// ---------------------------------------------------------------- statistics

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
const range = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

/** Each server's runs of a scenario in one line: medians over rounds, per-round ratios, sums of errors. */
function summarise(config, runs) {
  const groups = new Map();
  for (const r of runs) groups.set(`${r.scenario} ${r.server}`, [...(groups.get(`${r.scenario} ${r.server}`) ?? []), r]);
  const rank = (r) => options.scenarios.indexOf(r.scenario) * 100 + options.servers.indexOf(r.server);
  return [...groups.values()].map((group) => {
    const of = (field) => group.map((r) => r[field]).filter((x) => x !== undefined);
    const ratio = (field) => (of(field).length ? range(of(field)) : undefined);
    return {
      config,
      scenario: group[0].scenario,
      server: group[0].server,
      rounds: group.length,
      requests: of('requests').reduce((a, b) => a + b, 0),
      rps: median(of('rps')),
      p50Ms: median(of('p50Ms')),
      p99Ms: median(of('p99Ms')),
      p999Ms: median(of('p999Ms')),
      errors: of('errors').reduce((a, b) => a + b, 0),
      notFound: of('notFound').reduce((a, b) => a + b, 0),
      peakRssMb: Math.max(...of('peakRssMb')),
      cpuMsPerRequest: median(of('cpuMsPerRequest')),
      // Per round, against the floor and the reference of the same round.
      vsFloor: ratio('vsFloor'),
      cpuVsFloor: ratio('cpuVsFloor'),
      vsReference: ratio('vsReference'),
      cpuVsReference: ratio('cpuVsReference'),
      cpuVsUnlimited: ratio('cpuVsUnlimited'),
    };
  }).sort((a, b) => rank(a) - rank(b));
}

function pairRounds(runs) {
  const twin = (r, server) => runs.find((x) => x.server === server && x.scenario === r.scenario && x.round === r.round);
  for (const r of runs) {
    const floor = twin(r, 'nest-floor');
    const reference = twin(r, 'reference');
    const unlimited = twin(r, 'service-unlimited');
    if (floor && r.server !== 'nest-floor') Object.assign(r, { vsFloor: r.rps / floor.rps, cpuVsFloor: r.cpuMsPerRequest / floor.cpuMsPerRequest });
    if (reference && r.server !== 'reference') Object.assign(r, { vsReference: r.rps / reference.rps, cpuVsReference: r.cpuMsPerRequest / reference.cpuMsPerRequest });
    if (unlimited && r.server === 'service') r.cpuVsUnlimited = r.cpuMsPerRequest / unlimited.cpuMsPerRequest;
  }
}

function summariseOpen(points) {
  const groups = new Map();
  for (const p of points) {
    const key = `${p.config} ${p.scenario} ${p.load} ${p.server}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => {
    const of = (field) => group.map((p) => p[field]);
    return {
      config: group[0].config,
      scenario: group[0].scenario,
      scenarioTitle: SCENARIOS[group[0].scenario],
      server: group[0].server,
      percentOfSaturation: group[0].load,
      offered: group[0].offered,
      rounds: group.length,
      achieved: median(of('achieved')),
      p50Ms: median(of('p50Ms')),
      p99Ms: median(of('p99Ms')),
      p99MaxMs: Math.max(...of('p99Ms')),
      p999Ms: median(of('p999Ms')),
      errors: of('errors').reduce((a, b) => a + b, 0),
      cpuMsPerRequest: median(of('cpuMsPerRequest')),
      peakRssMb: Math.max(...of('peakRssMb')),
    };
  });
}

/**
 * CPU per request of the service and the NestJS floor offered the same rate at the same time,
 * for the CPU target. Run one after the other at saturation, the same code measured 1.12x to
 * 1.51x the floor from round to round, because this host's speed drifts between runs: at once,
 * both see the same host, and the ratio moves by a few percent (ADR 0068).
 */
async function sameLoad(config, store, runs, service, floor) {
  const points = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const scenario of options.scenarios.filter((s) => PAIRED_SCENARIOS.has(s))) {
      const saturation = median(runs.filter((r) => r.server === 'service' && r.scenario === scenario).map((r) => r.rps));
      const rate = Math.max(1, Math.round((saturation * options.pairedLoad) / 100));
      await prepare(store, scenario, 0);
      log(`==> ${config} same load ${round}/${options.rounds}: ${SCENARIOS[scenario]} at ${rate} req/s on service and nest-floor at once`);
      const pair = [service, floor];
      const before = pair.map((server) => cpuSeconds(server.child.pid));
      const results = await Promise.all(pair.map((server) => openLoop({ start, port: server.port, apiKey: API_KEY, scenario, rate,
        seconds: options.pairedSeconds, connections: options.connections, value: VALUE })));
      // The CPU window includes h2load's warm-up second: per request sent.
      const [own, base] = pair.map((server, i) => ({
        cpuMsPerRequest: ((cpuSeconds(server.child.pid) - before[i]) * 1000) / Math.max(1, results[i].sent),
        errors: results[i].errors,
      }));
      points.push({ config, round, scenario, rate, service: own, floor: base, cpuVsFloor: own.cpuMsPerRequest / base.cpuMsPerRequest });
      log(`    service ${own.cpuMsPerRequest.toFixed(3)} ms CPU/req, floor ${base.cpuMsPerRequest.toFixed(3)}, ` +
        `ratio ${(own.cpuMsPerRequest / base.cpuMsPerRequest).toFixed(3)}, ${own.errors} + ${base.errors} errors`);
    }
  }
  return points;
}

function summarisePaired(points) {
  return [...new Set(points.map((p) => p.scenario))].map((scenario) => {
    const group = points.filter((p) => p.scenario === scenario);
    return {
      config: group[0].config,
      scenario,
      rounds: group.length,
      rate: median(group.map((p) => p.rate)),
      serviceCpuMs: median(group.map((p) => p.service.cpuMsPerRequest)),
      floorCpuMs: median(group.map((p) => p.floor.cpuMsPerRequest)),
      cpuVsFloor: range(group.map((p) => p.cpuVsFloor)),
      errors: group.reduce((sum, p) => sum + p.service.errors + p.floor.errors, 0),
    };
  });
}

// ---------------------------------------------------------------- one configuration

async function benchConfig(config, nodeOptions) {
  log(`\n#### ${config}: ${CONFIGS[config]}`);
  const store = await startStore(config, start);
  const version = await store.version();
  const servers = [];
  const runs = [];
  const open = [];
  const paired = [];
  let listing;
  try {
    for (const name of options.servers) servers.push(await startServer(name, store, nodeOptions));
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const [index, scenario] of options.scenarios.entries()) {
        const taking = servers.filter((server) => !server.paired || PAIRED_SCENARIOS.has(scenario));
        // Alternate which server goes first, so that drift on a shared machine does not favour one.
        const order = (index + round) % 2 === 0 ? taking : [...taking].reverse();
        for (const server of order) {
          log(`==> ${config} round ${round}/${options.rounds}: ${SCENARIOS[scenario]} on ${server.name}`);
          const previous = runs.find((r) => r.server === server.name && r.scenario === 'hello');
          const result = await measure(server, store, scenario, previous?.rps ?? 30_000, round === 1 ? options.warmup : 0);
          runs.push({ config, round, ...result });
          log(`    ${Math.round(result.rps)} req/s, ${result.cpuMsPerRequest.toFixed(3)} ms CPU/req, ` +
            `p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors`);
        }
      }
    }
    pairRounds(runs);
    const service = servers.find((s) => s.name === 'service');
    const floor = servers.find((s) => s.name === 'nest-floor');
    if (service && floor && options.pairedLoad > 0) paired.push(...(await sameLoad(config, store, runs, service, floor)));
    if (service) {
      for (let round = 1; round <= options.openRounds; round += 1) {
        for (const scenario of options.openScenarios) {
          const saturation = median(runs.filter((r) => r.server === 'service' && r.scenario === scenario).map((r) => r.rps));
          if (!saturation) continue;
          for (const load of options.openLoads) {
            const rate = Math.max(1, Math.round((saturation * load) / 100));
            // At the target's load, the floor and the reference take the service's rate too: the
            // tail this host gives any server at that rate, measured in the same round.
            const at = load === TARGET_LOAD && PAIRED_SCENARIOS.has(scenario)
              ? servers.filter((s) => s.name === 'service' || s.name === 'nest-floor' || s.name === 'reference') : [service];
            for (const server of at) {
              await prepare(store, scenario, 0);
              log(`==> ${config} open loop ${round}/${options.openRounds}: ${SCENARIOS[scenario]} at ${load}% (${rate} req/s) on ${server.name}`);
              const { result, cpu, peakRssMb } = await observed(server, `${scenario} at ${rate} req/s`, options.openSeconds + 1,
                () => openLoop({ start, port: server.port, apiKey: API_KEY, scenario, rate, seconds: options.openSeconds,
                  connections: options.connections, value: VALUE }));
              // The CPU window includes h2load's warm-up: per request sent.
              const cpuMsPerRequest = (cpu * 1000) / Math.max(1, result.sent);
              open.push({ config, round, load, server: server.name, ...result, cpuMsPerRequest, peakRssMb });
              log(`    ${Math.round(result.achieved)} req/s achieved, p50 ${result.p50Ms.toFixed(2)} ms, ` +
                `p99 ${result.p99Ms.toFixed(2)} ms, p99.9 ${result.p999Ms.toFixed(2)} ms, ${result.errors} errors`);
            }
          }
        }
      }
      if (options.listKeys > 0) {
        log(`==> ${config}: GET /list (streamed) over ${options.listKeys} keys on service`);
        const started = Date.now();
        listing = await listEverything(service, store);
        listing.seconds = (Date.now() - started) / 1000 - listing.seedSeconds;
        log(`    ${listing.listed} keys, ${(listing.bytes / 2 ** 20).toFixed(1)} MB, ` +
          `RSS ${listing.baselineRssMb.toFixed(1)} -> ${listing.peakRssMb.toFixed(1)} MB`);
      }
    }
    for (const server of servers) server.hwmMb = procStatus(server.child.pid).hwmKb / 1024;
  } finally {
    for (const server of servers) await stop(server.child);
    await store.stop(stop);
  }
  return {
    config,
    title: CONFIGS[config],
    redis: version,
    results: summarise(config, runs),
    runs,
    openLoop: summariseOpen(open),
    sameLoad: summarisePaired(paired),
    sameLoadRuns: paired,
    openRuns: open,
    list: listing,
    peakRssMb: Object.fromEntries(servers.map((s) => [s.name, s.hwmMb])),
  };
}

// ---------------------------------------------------------------------- main

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: cpus().length,
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

async function main() {
  const started = Date.now();
  const info = machine();
  const unknown = options.servers.filter((name) => !name.startsWith('service') && !SCRIPTS[name]);
  if (unknown.length) throw new Error(`unknown BENCH_SERVERS ${unknown.join(', ')}: use service, service-unlimited, ${Object.keys(SCRIPTS).join(', ')}`);
  for (const config of options.configs) if (!CONFIGS[config]) throw new Error(`unknown BENCH_CONFIGS entry ${config}: use ${Object.keys(CONFIGS).join(', ')}`);
  const chart = chartSettings(ROOT);
  // Every Node server runs as the pod runs the service: in a memory cgroup of the pod's limit
  // (V8 sizes its heap from it) and with the chart's NODE_OPTIONS.
  const nodeOptions = env('BENCH_NODE_OPTIONS', chart.nodeOptions);
  cgroups = podCgroups(chart.memoryLimitMi);
  info.cgroup = { available: cgroups.available, why: cgroups.why };
  if (!cgroups.available) log(`warning: servers run without the pod's memory limit, V8 sizes its heap from this host: ${cgroups.why}`);
  info.nodeOptions = nodeOptions;
  info.loadBefore = loadavg();
  log(`kv-api benchmark: configurations ${options.configs.join(', ')}; ${options.rounds} round(s) of ${options.duration}s per ` +
    `scenario per server (+${options.warmup}s warm-up in round 1), ${options.connections} connections; open loop ` +
    `${options.openLoads.join('/')}% x ${options.openRounds} round(s) of ${options.openSeconds}s; NODE_OPTIONS ${nodeOptions}; ` +
    `memory cgroup ${cgroups.available ? cgroups.why : 'none'}; ` +
    `${info.nproc} CPUs, ${info.cpuModel}; load average ${info.loadBefore.map((x) => x.toFixed(2)).join(' ')}`);

  const configs = [];
  for (const config of options.configs) configs.push(await benchConfig(config, nodeOptions));
  info.loadAfter = loadavg();
  const wallSeconds = Math.round((Date.now() - started) / 1000);
  const production = configs.find((c) => c.config === 'cluster') ?? configs.at(-1);
  // A smoke run's figures plan nothing.
  const model = options.targets === 'full' ? capacityModel(production, chart) : undefined;
  const report = renderReport({ configs, model, chart, options, info, wallSeconds });
  log(`\n${report.text}`);

  mkdirSync(options.results, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(options.results, `${stamp}.json`);
  // The plot draws the service; the floor's and the reference's points are in the table.
  const openLoopPoints = configs.flatMap((c) => c.openLoop.filter((p) => p.server === 'service'));
  const configTitles = Object.fromEntries(configs.map((c) => [c.config, c.title]));
  writeFileSync(file, `${JSON.stringify({ machine: info, options, wallSeconds, configs, model, chart, checks: report.checks,
    openLoop: openLoopPoints, configTitles }, null, 2)}\n`);
  if (options.writeDocs && openLoopPoints.length) {
    writeFileSync(join(ROOT, 'docs', 'performance-latency.svg'), await latencySvg(openLoopPoints, configTitles));
    updateDocs(join(ROOT, 'docs', 'performance.md'), report);
    log('docs/performance.md (generated sections) and docs/performance-latency.svg rewritten');
  }
  cgroups.remove();
  const failed = report.checks.filter((c) => !c.ok).length;
  log(`\nresults: ${file} (${wallSeconds}s)`);
  log(`${report.checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error.stack ?? error}\n`);
  for (const child of children) process.stderr.write(`--- ${child.label} output:\n${child.output().slice(-3000)}\n`);
  killAll();
  process.exit(2);
});

// Open-loop latency: h2load (nghttp2-client) sends at a fixed rate whatever the server's
// answers do, so latency at 25-75% of saturation is service time plus real queueing, not
// connections / throughput as in wrk's closed loop. Percentiles come from h2load's
// per-request log (--log-file), which its summary does not print.
//
// h2load's --rps timer starts when a client connects, and -D connects every client at once:
// all of them then send in the same instant, a burst of one request per connection every
// period, which measured the queue of the burst (p50 12 ms at 25% load). Here the clients
// connect one after another across one period (-r/--rate-period), so their sends are spread
// evenly, and each sends at most PER_CLIENT_RPS, one request in flight per HTTP/1.1
// connection. -r excludes -D, so a run is -n requests and the first second is dropped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The scenario as h2load streams: a request list per stream and its share of the rate. */
function streams(scenario, base, value) {
  const write = { share: 1, body: JSON.stringify({ key: 'open-loop', value }), uris: [`${base}/write`] };
  if (scenario === 'hello') return [{ share: 1, uris: [`${base}/`] }];
  if (scenario === 'write') return [write];
  if (scenario === 'mixed') {
    // h2load gives every URI of one process the same method: reads and writes run as two
    // processes at once, 80% and 20% of the rate (70% GET /, 10% one page of /list, as wrk's mix).
    return [
      { share: 0.8, uris: [...Array(7).fill(`${base}/`), `${base}/list?count=10&cursor=0`] },
      { ...write, share: 0.2 },
    ];
  }
  throw new Error(`no open-loop form of scenario ${scenario}`);
}

const PER_CLIENT_RPS = 20;
const WARM_UP_SECONDS = 1;

/**
 * How h2load offers `rate` req/s for `seconds` (plus the warm-up) over at least `connections`
 * clients: each sends at most PER_CLIENT_RPS, and the clients connect one after another across
 * one period of their timers, so that their sends are spread evenly over it.
 */
export function h2loadPlan({ rate, seconds, connections }) {
  const clients = Math.max(1, Math.round(connections), Math.ceil(rate / PER_CLIENT_RPS));
  const clientRps = rate / clients;
  const periodMs = Math.max(1, Math.floor(1000 / clientRps));
  // --rate-period takes whole milliseconds: several clients per millisecond, or one every few.
  const spread = clients >= periodMs
    ? ['-r', String(Math.ceil(clients / periodMs)), '--rate-period=1ms']
    : ['-r', '1', `--rate-period=${Math.floor(periodMs / clients)}ms`];
  const args = ['--h1', '-t', '1', '-c', String(clients), ...spread, `--rps=${clientRps.toFixed(3)}`,
    '-n', String(Math.round(rate * (seconds + WARM_UP_SECONDS)))];
  return { clients, clientRps, periodMs, args };
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);

/**
 * Offers `rate` req/s for `seconds` (after a 1 s warm-up) over `connections` connections.
 * start(label, command, args) is the orchestrator's process starter.
 */
export async function openLoop({ start, port, apiKey, scenario, rate, seconds, connections, value }) {
  const dir = mkdtempSync(join(tmpdir(), 'kv-bench-h2load-'));
  try {
    const parts = streams(scenario, `http://127.0.0.1:${port}`, value);
    const runs = parts.map((part, index) => {
      const { args: plan } = h2loadPlan({ rate: rate * part.share, seconds, connections: connections * part.share });
      const log = join(dir, `log-${index}`);
      const args = [...plan, `--log-file=${log}`, '-H', `authorization: Bearer ${apiKey}`];
      if (part.body) {
        writeFileSync(join(dir, `body-${index}`), part.body);
        args.push('-d', join(dir, `body-${index}`), '-H', 'content-type: application/json');
      }
      const child = start('h2load', 'h2load', [...args, ...part.uris]);
      return child.exited.then((code) => ({ code, output: child.output(), log }));
    });
    const done = await Promise.all(runs);
    // Requests still in flight when h2load stops: let the server finish them before Redis is reset.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const latencies = [];
    let errors = 0;
    let requests = 0;
    let sent = 0;
    // Seconds from the end of the warm-up to the last request sent.
    let window = 0;
    for (const { code, output, log } of done) {
      const summary = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(output);
      if (code !== 0 || !summary) throw new Error(`h2load failed (exit ${code}):\n${output}`);
      // Every request but a 2xx, warm-up included: h2load counts non-2xx, errored and timed-out as not succeeded.
      errors += Number(summary[1]) - Number(summary[4]);
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        // no request completed: counted as errors above
      }
      sent += Number(summary[1]);
      const parsed = text.split('\n').filter(Boolean).map((row) => row.split('\t').map(Number));
      const from = parsed.reduce((min, [startUs]) => Math.min(min, startUs), Infinity) + WARM_UP_SECONDS * 1e6;
      for (const [startUs, , micros] of parsed) {
        if (startUs < from) continue;
        requests += 1;
        latencies.push(micros);
        window = Math.max(window, (startUs - from) / 1e6);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      scenario,
      offered: rate,
      achieved: requests / Math.max(window, 1e-3),
      requests,
      sent,
      errors,
      p50Ms: percentile(latencies, 50) / 1000,
      p99Ms: percentile(latencies, 99) / 1000,
      p999Ms: percentile(latencies, 99.9) / 1000,
      maxMs: (latencies.at(-1) ?? 0) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

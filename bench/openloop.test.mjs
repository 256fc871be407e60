// The open loop's h2load plan, and h2load run with it: the clients' sends must be spread over
// their timer period, not fired together (ADR 0067).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { h2loadPlan } from './openloop.mjs';

const arg = (args, flag) => args[args.indexOf(flag) + 1];

test('h2loadPlan: one client per 20 req/s at load, connected several per millisecond over one period', () => {
  const plan = h2loadPlan({ rate: 8000, seconds: 3, connections: 50 });
  assert.equal(plan.clients, 400);
  assert.equal(plan.clientRps, 20);
  assert.equal(arg(plan.args, '-r'), '8');
  assert.ok(plan.args.includes('--rate-period=1ms'));
  assert.equal(arg(plan.args, '-n'), String(8000 * 4), 'the warm-up second is sent too');
  assert.ok(!plan.args.includes('-D'), '-D connects every client at once');
});

test('h2loadPlan: few clients connect one every few milliseconds, over the whole period', () => {
  const plan = h2loadPlan({ rate: 200, seconds: 2, connections: 10 });
  assert.equal(plan.clients, 10);
  assert.equal(plan.periodMs, 50);
  assert.equal(arg(plan.args, '-r'), '1');
  assert.ok(plan.args.includes('--rate-period=5ms'));
});

test('h2loadPlan: no client sends more than 20 req/s, and the clients span at most one period', () => {
  for (const rate of [1, 7, 150, 999, 4321, 25000]) {
    for (const connections of [1, 8, 50, 500]) {
      const plan = h2loadPlan({ rate, seconds: 3, connections });
      assert.ok(plan.clientRps <= 20, `${rate}/s over ${connections}: ${plan.clientRps}/s per client`);
      const perPeriod = Number(arg(plan.args, '-r'));
      const periodMs = Number(/=(\d+)ms/.exec(plan.args.find((a) => a.startsWith('--rate-period')))[1]);
      const spanMs = Math.ceil(plan.clients / perPeriod) * periodMs;
      assert.ok(spanMs <= plan.periodMs + periodMs, `${rate}/s over ${connections}: clients span ${spanMs} ms of ${plan.periodMs}`);
    }
  }
});

let h2load = true;
try {
  execFileSync('h2load', ['--version'], { stdio: 'ignore' });
} catch {
  h2load = false;
}

test('h2load with the plan spreads the sends over the period', { skip: !h2load && 'h2load is not installed (nghttp2-client)' }, async () => {
  const server = createServer((_, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'kv-bench-plan-'));
  try {
    const plan = h2loadPlan({ rate: 400, seconds: 2, connections: 10 });
    const log = join(dir, 'log');
    await promisify(execFile)('h2load', [...plan.args, `--log-file=${log}`, `http://127.0.0.1:${server.address().port}/`]);
    const starts = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((row) => Number(row.split('\t')[0]));
    assert.equal(starts.length, 400 * 3, 'every request of -n answered');
    // Phase of each send within one client period, in 10 bins: spread clients fill most of them;
    // clients that all connected at once put nearly every send in one or two.
    const first = Math.min(...starts);
    const periodUs = plan.periodMs * 1000;
    const bins = Array(10).fill(0);
    for (const t of starts) bins[Math.floor((((t - first) % periodUs) / periodUs) * 10)] += 1;
    const largest = Math.max(...bins) / starts.length;
    assert.ok(largest < 0.35, `${(largest * 100).toFixed(0)}% of the sends in one tenth of the period: ${bins.join(' ')}`);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

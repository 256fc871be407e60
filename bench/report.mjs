// The benchmark's report: tables as printed, PASS/FAIL per target, and the generated
// sections of docs/performance.md (between <!-- bench:NAME --> and <!-- /bench:NAME -->).
import { readFileSync, writeFileSync } from 'node:fs';

const pad = (value, width) => String(value).padStart(width);
const fixed = (value, digits = 1) => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));
const ratio = (r, digits = 2) => (r ? `${fixed(r.median, digits)} (${fixed(r.min, digits)}-${fixed(r.max, digits)})` : '-');

function columns(header, rows, left = 2) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((c, i) => (i < left ? String(c).padEnd(widths[i]) : pad(c, widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function closedTable(config) {
  return columns(
    ['scenario', 'server', 'req/s', 'vs floor', 'vs reference', 'CPU ms/req', 'CPU vs floor', 'CPU vs reference', 'CPU vs unlimited', 'p99 ms', 'errors', 'peak RSS MB'],
    config.results.map((r) => [r.scenario, r.server, Math.round(r.rps), ratio(r.vsFloor), ratio(r.vsReference), fixed(r.cpuMsPerRequest, 3),
      ratio(r.cpuVsFloor), ratio(r.cpuVsReference), ratio(r.cpuVsUnlimited, 3), fixed(r.p99Ms, 2), r.errors, fixed(r.peakRssMb)]),
  );
}

function openTable(configs) {
  return columns(
    ['config', 'scenario', 'load', 'server', 'offered/s', 'achieved/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'worst p99', 'errors', 'CPU ms/req'],
    configs.flatMap((c) => c.openLoop.map((p) => [c.config, p.scenario, `${p.percentOfSaturation}%`, p.server, p.offered, Math.round(p.achieved),
      fixed(p.p50Ms, 2), fixed(p.p99Ms, 2), fixed(p.p999Ms, 2), fixed(p.p99MaxMs, 2), p.errors, fixed(p.cpuMsPerRequest, 3)])),
    4,
  );
}

function sameLoadTable(configs) {
  return columns(
    ['config', 'scenario', 'req/s each', 'service CPU ms/req', 'floor CPU ms/req', 'CPU vs floor', 'errors'],
    configs.flatMap((c) => (c.sameLoad ?? []).map((p) => [c.config, p.scenario, p.rate, fixed(p.serviceCpuMs, 3), fixed(p.floorCpuMs, 3),
      ratio(p.cpuVsFloor), p.errors])),
  );
}

function memoryRows(configs, chart) {
  return configs.map((c) => {
    const saturation = Math.max(...c.results.filter((r) => r.server === 'service').map((r) => r.peakRssMb));
    const listing = c.list?.peakRssMb;
    const peak = Math.max(saturation, listing ?? 0);
    return { config: c.config, saturation, listing, peak, requestHeadroom: chart.memoryRequestMi - peak, limitHeadroom: chart.memoryLimitMi - peak };
  });
}

function memoryTable(rows, chart) {
  return columns(
    ['config', 'peak RSS at saturation MB', 'peak RSS during /list MB', `headroom to request ${chart.memoryRequestMi}Mi`, `headroom to limit ${chart.memoryLimitMi}Mi`],
    rows.map((m) => [m.config, fixed(m.saturation), fixed(m.listing), `${fixed(m.requestHeadroom)} MB`, `${fixed(m.limitHeadroom)} MB`]),
    1,
  );
}

function capacityMarkdown(model, chart) {
  if (!model) return '_no production configuration measured_';
  const lines = [
    `Planning figure: **${fixed(model.cpuMs, 3)} ms CPU per request**, the dearest of \`GET /\`, \`POST /write\` and the mix ` +
      `(${model.from}) on \`${model.config}\`; at the HPA target (${chart.targetCpuPercent}% of ${chart.cpuRequest * 1000}m) ` +
      `a pod serves **${Math.floor(model.perPod)} req/s**. Pods = 3 × ceil(load / (2 × ${Math.floor(model.perPod)})).`,
    '',
    '| load | pods (3 zones) | one zone lost: pods left | req/s per pod left | CPU per pod left | Redis ops/s | shards needed at ' +
      `${model.shardOps} ops/s | \`shard_count\` |`,
    '|---|---|---|---|---|---|---|---|',
    ...model.rows.map((r) => `| ${r.load.toLocaleString('en-US')} req/s | ${r.pods} | ${r.surviving} | ${Math.round(r.perSurvivor)} | ` +
      `${Math.round(r.survivorCpu * 1000)}m | ${Math.round(r.ops).toLocaleString('en-US')} | ${r.shardsNeeded} | ${r.shards} |`),
    '',
    `HPA bounds the model asks for: \`minReplicas ${model.minReplicas}\` (the 5,000 req/s baseline survives a zone loss before ` +
      `the HPA reacts, and never fewer than ${model.minPods}, two per zone), \`maxReplicas ${model.maxReplicas}\`. ` +
      `Production sets ${chart.minReplicas} and ${chart.maxReplicas} (\`helmfile.d/values/kv-api/production.yaml\`). ` +
      `Memorystore: the model asks for ${model.shards} shards at ${model.rows.at(-1).load.toLocaleString('en-US')} req/s; ` +
      `production has \`shard_count = ${chart.shardCount}\` (\`${chart.shardSource}\`).`,
  ];
  return lines.join('\n');
}

function checkTargets({ configs, model, chart, options, info }) {
  const checks = [];
  const check = (name, ok, detail) => checks.push({ name, ok, detail });
  const memory = memoryRows(configs, chart);
  for (const c of configs) {
    const service = c.results.filter((r) => r.server === 'service');
    for (const r of service) check(`${c.config} ${r.scenario}: zero errors`, r.errors === 0, `${r.errors} errors`);
    for (const p of c.openLoop.filter((x) => x.server === 'service')) {
      check(`${c.config} ${p.scenario} open loop at ${p.percentOfSaturation}%: zero errors`, p.errors === 0, `${p.errors} errors`);
    }
    if (options.targets !== 'full') continue;
    for (const scenario of ['hello', 'write']) {
      const r = service.find((x) => x.scenario === scenario);
      if (r?.vsFloor) {
        check(`${c.config} ${scenario}: service >= 0.90 of the NestJS floor's throughput`, r.vsFloor.median >= 0.9,
          `median ${ratio(r.vsFloor)} over ${r.rounds} rounds`);
      }
      // Priced with both offered the same rate at once (ADR 0068); the closed-loop ratio stays in its table.
      const same = c.sameLoad?.find((p) => p.scenario === scenario);
      if (same) {
        check(`${c.config} ${scenario}: zero errors at the same load as the floor`, same.errors === 0, `${same.errors} errors`);
        check(`${c.config} ${scenario}: service CPU/request <= 1.15x the NestJS floor's`, same.cpuVsFloor.median <= 1.15,
          `both at ${same.rate} req/s at once: median ${ratio(same.cpuVsFloor, 3)}x over ${same.rounds} rounds; ` +
          `one after the other at saturation ${ratio(r?.cpuVsFloor)}x`);
      } else if (r?.vsFloor) {
        check(`${c.config} ${scenario}: service CPU/request <= 1.15x the NestJS floor's`, false, 'not measured at the same load (BENCH_PAIRED_LOAD=0)');
      }
      if (r?.cpuVsUnlimited) {
        check(`${c.config} ${scenario}: resilience limits cost <= 5% CPU/request`, r.cpuVsUnlimited.median <= 1.05,
          `default / unlimited median ${ratio(r.cpuVsUnlimited, 3)}`);
      }
      const atHalf = (server) => c.openLoop.find((p) => p.server === server && p.scenario === scenario && p.percentOfSaturation === 50);
      const half = atHalf('service');
      if (half) {
        const others = ['nest-floor', 'reference'].map((server) => [server, atHalf(server)]).filter(([, p]) => p)
          .map(([server, p]) => `; ${server} at the same rate ${fixed(p.p99Ms, 2)} ms`).join('');
        check(`${c.config} ${scenario}: p99 <= 10 ms at 50% of saturation`, half.p99Ms <= 10,
          `${half.offered} req/s offered: median p99 ${fixed(half.p99Ms, 2)} ms, worst round ${fixed(half.p99MaxMs, 2)} ms${others}`);
      }
    }
    if (c.list) {
      check(`${c.config} /list all keys: complete`, c.list.status === 200 && c.list.listed === c.list.keys,
        `status ${c.list.status}, ${c.list.listed} of ${c.list.keys} keys${c.list.failure ? `, ${c.list.failure}` : ''}`);
      check(`${c.config} /list all keys: no SCAN/MGET/script >= 10 ms`, c.list.slowCommands.length === 0,
        c.list.slowCommands.length ? JSON.stringify(c.list.slowCommands.slice(0, 5)) : 'SLOWLOG empty');
    }
    const m = memory.find((x) => x.config === c.config);
    check(`${c.config}: peak service RSS below the chart's memory request`, m.requestHeadroom > 0,
      `${fixed(m.peak)} MB of ${chart.memoryRequestMi}Mi, headroom ${fixed(m.requestHeadroom)} MB`);
  }
  if (options.targets === 'full') {
    check('servers ran in a memory cgroup of the chart\'s limit', info.cgroup.available, info.cgroup.why);
  }
  if (options.targets === 'full' && model) {
    check('production HPA covers the capacity model', chart.minReplicas >= model.minReplicas && chart.maxReplicas >= model.maxReplicas,
      `model min ${model.minReplicas} max ${model.maxReplicas}; production min ${chart.minReplicas} max ${chart.maxReplicas}`);
    check('production Memorystore shards carry the model\'s largest load', chart.shardCount >= model.shards,
      `model ${model.shards} shards; ${chart.shardSource} shard_count ${chart.shardCount}`);
  }
  return { checks, memory };
}

export function renderReport({ configs, model, chart, options, info, wallSeconds }) {
  const { checks, memory } = checkTargets({ configs, model, chart, options, info });
  const sections = {};
  sections.closed = configs.map((c) => `${c.config}: ${c.title} (Redis ${c.redis}), closed loop, medians of ${options.rounds} rounds ` +
    `(range), ratios per round\n${closedTable(c)}`).join('\n\n');
  const listing = configs.filter((c) => c.list).map((c) => `${c.config}: /list over ${c.list.keys} keys: ${c.list.listed} listed in ` +
    `${fixed(c.list.seconds)}s, RSS ${fixed(c.list.baselineRssMb)} -> ${fixed(c.list.peakRssMb)} MB, ` +
    `${c.list.slowCommands.length} slow SCAN/MGET/script`).join('\n');
  if (listing) sections.closed += `\n\n${listing}`;
  sections.open = `open loop (h2load --rps, ${options.connections} connections, ${options.openSeconds}s per point), medians of ` +
    `${options.openRounds} rounds\n${openTable(configs)}`;
  const hasSameLoad = configs.some((c) => c.sameLoad?.length);
  sections.sameLoad = hasSameLoad ? `same load: service and NestJS floor offered ${options.pairedLoad}% of the service's saturation ` +
    `at once (h2load --rps, ${options.pairedSeconds}s), medians of ${options.rounds} rounds (range)\n${sameLoadTable(configs)}` : '';
  sections.memory = memoryTable(memory, chart);
  sections.checks = checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.name} (${c.detail})`).join('\n');
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  sections.conditions = `${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGb} GB, Node ${info.node}, NODE_OPTIONS ` +
    `${info.nodeOptions}, ${info.cgroup.available ? `memory cgroup of ${chart.memoryLimitMi}Mi per server` : `no memory cgroup (${info.cgroup.why})`}; load average ` +
    `${load(info.loadBefore)} before, ${load(info.loadAfter)} after; ${wallSeconds}s wall time`;
  const capacity = capacityMarkdown(model, chart);
  const text = [sections.conditions, sections.closed, ...(hasSameLoad ? [sections.sameLoad] : []), sections.open, `memory (service; chart request ${chart.memoryRequestMi}Mi, ` +
    `limit ${chart.memoryLimitMi}Mi; NODE_OPTIONS ${info.nodeOptions}; memory cgroup ${info.cgroup.available ? 'of the limit' : 'none'})\n${sections.memory}`,
  ...(model ? [`capacity model\n${capacity}`] : []), sections.checks].join('\n\n');
  return { text, checks, sections, capacity };
}

/** Rewrites the generated sections of docs/performance.md in place. */
export function updateDocs(file, report) {
  let text = readFileSync(file, 'utf8');
  const blocks = {
    results: ['```', report.sections.conditions, '', report.sections.closed, '', ...(report.sections.sameLoad ? [report.sections.sameLoad, ''] : []),
      report.sections.open, '', report.sections.memory,
      '', report.sections.checks, '```'].join('\n'),
    capacity: report.capacity,
  };
  for (const [name, body] of Object.entries(blocks)) {
    const pattern = new RegExp(`(<!-- bench:${name} -->\\n)[\\s\\S]*?(<!-- /bench:${name} -->)`);
    if (!pattern.test(text)) throw new Error(`${file}: no <!-- bench:${name} --> ... <!-- /bench:${name} --> section`);
    text = text.replace(pattern, (_, open, close) => `${open}${body}\n${close}`);
  }
  writeFileSync(file, text);
}

// The capacity model: pods, HPA bounds and Memorystore shards from the production
// configuration's measured CPU per request, and the chart settings it is read against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const LOADS = [5_000, 50_000];
const ZONES = 3;
// Redis commands per request of the production mix on a cluster: 70% GET / (SET + GET), 10% a
// /list page of 10 keys (SCAN, then a STRLEN and a GET per key, pipelined), 20% writes (SET).
const COMMANDS_PER_REQUEST = 0.7 * 2 + 0.1 * (1 + 10 + 10) + 0.2 * 1;
// Planning figure per Memorystore shard: 50,000 simple ops/s with TLS, run at half of it.
// Google publishes none (docs/performance.md, "Memorystore"): confirm with memtier_benchmark.
const SHARD_OPS = 25_000;
const MIN_SHARDS = 3;
// Two pods per zone at least: a rollout or a disruption (PDB maxUnavailable 1) never leaves a zone empty.
const MIN_PODS = 2 * ZONES;

const mebibytes = (quantity) => {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(String(quantity));
  if (!match) throw new Error(`cannot read memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};
const cores = (quantity) => (String(quantity).endsWith('m') ? Number(String(quantity).slice(0, -1)) / 1000 : Number(quantity));

// Production's Memorystore size, a Terragrunt input (live/_common/memorystore.hcl reads it).
const PRODUCTION_REGION = 'live/prod/europe-west1/region.hcl';

function productionShards(root) {
  const text = readFileSync(join(root, PRODUCTION_REGION), 'utf8');
  const match = /redis\s*=\s*\{[^}]*?\bshard_count\s*=\s*(\d+)/.exec(text);
  if (!match) throw new Error(`${PRODUCTION_REGION}: no redis = { shard_count = N } to check the capacity model against`);
  return Number(match[1]);
}

/** What the model is read against: the chart's resources, the production HPA and Memorystore shards. */
export function chartSettings(root) {
  const chart = parse(readFileSync(join(root, 'charts/kv-api/values.yaml'), 'utf8'));
  const production = parse(readFileSync(join(root, 'helmfile.d/values/kv-api/production.yaml'), 'utf8'));
  const hpa = { ...chart.autoscaling, ...production.autoscaling };
  const node = { ...chart.node, ...production.node };
  return {
    cpuRequest: cores(chart.resources.requests.cpu),
    memoryRequestMi: mebibytes(chart.resources.requests.memory),
    memoryLimitMi: mebibytes(chart.resources.limits.memory),
    // As charts/kv-api/templates/configmap.yaml renders it.
    nodeOptions: `--max-semi-space-size=${node.maxSemiSpaceSizeMb}`,
    targetCpuPercent: hpa.targetCPUUtilizationPercentage,
    minReplicas: hpa.minReplicas,
    maxReplicas: hpa.maxReplicas,
    shardCount: productionShards(root),
    shardSource: PRODUCTION_REGION,
  };
}

export function capacityModel(production, chart) {
  const service = production.results.filter((r) => r.server === 'service' && ['hello', 'write', 'mixed'].includes(r.scenario));
  if (!service.length) return undefined;
  // The dearest route plans for all: a shift in the mix cannot outgrow the pods.
  const worst = service.reduce((a, b) => (b.cpuMsPerRequest > a.cpuMsPerRequest ? b : a));
  const cpuMs = worst.cpuMsPerRequest;
  const perPod = (chart.cpuRequest * chart.targetCpuPercent) / 100 / (cpuMs / 1000);
  const rows = LOADS.map((load) => {
    // Two zones carry the peak: the pods of one zone may be lost at any time.
    const pods = ZONES * Math.ceil(load / ((ZONES - 1) * perPod));
    const surviving = (pods * (ZONES - 1)) / ZONES;
    const perSurvivor = load / surviving;
    const ops = load * COMMANDS_PER_REQUEST;
    const needed = Math.ceil(ops / SHARD_OPS);
    return { load, pods, surviving, perSurvivor, survivorCpu: (perSurvivor * cpuMs) / 1000, ops, shardsNeeded: needed, shards: Math.max(MIN_SHARDS, needed) };
  });
  return {
    config: production.config,
    cpuMs,
    from: worst.scenario,
    perPod,
    rows,
    minReplicas: Math.max(MIN_PODS, rows[0].pods),
    maxReplicas: Math.max(MIN_PODS, rows.at(-1).pods),
    minPods: MIN_PODS,
    // Redis must carry what the HPA's maximum serves: shards for the largest load.
    shards: rows.at(-1).shards,
    commandsPerRequest: COMMANDS_PER_REQUEST,
    shardOps: SHARD_OPS,
  };
}

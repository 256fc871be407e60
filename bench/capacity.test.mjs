// The capacity model's arithmetic, and the settings it reads from the values files and the
// production Terragrunt region (bench/capacity.mjs).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { capacityModel, chartSettings } from './capacity.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const chart = { cpuRequest: 0.5, targetCpuPercent: 70 };
const measured = (cpuMs) => ({
  config: 'cluster',
  results: [
    { server: 'service', scenario: 'hello', cpuMsPerRequest: cpuMs / 2 },
    { server: 'service', scenario: 'mixed', cpuMsPerRequest: cpuMs },
    { server: 'nest-floor', scenario: 'hello', cpuMsPerRequest: cpuMs * 10 },
  ],
});

test('capacityModel: the dearest route of the service plans; two zones carry the load', () => {
  const model = capacityModel(measured(0.2), chart);
  assert.equal(model.from, 'mixed');
  assert.equal(Math.round(model.perPod), 1750);
  // 3 x ceil(50,000 / (2 x 1,750)) = 45; a third of them may be lost with a zone.
  assert.deepEqual(model.rows.map((r) => [r.load, r.pods, r.surviving]), [[5000, 6, 4], [50000, 45, 30]]);
  assert.equal(model.maxReplicas, 45);
  // 50,000 req/s x 3.7 commands = 185,000 ops/s over 25,000 per shard.
  assert.equal(model.shards, 8);
});

test('capacityModel: never fewer than two pods per zone, never fewer than 3 shards', () => {
  const model = capacityModel(measured(0.01), chart);
  assert.equal(model.rows[0].pods, 3);
  assert.equal(model.minReplicas, 6);
  assert.equal(model.rows[0].shards, 3);
});

test('chartSettings: reads resources, NODE_OPTIONS, the production HPA and shard_count from the repository', () => {
  const settings = chartSettings(ROOT);
  assert.equal(settings.nodeOptions, '--max-semi-space-size=16');
  assert.equal(settings.memoryLimitMi, 512);
  assert.ok(settings.minReplicas >= 6 && settings.maxReplicas >= settings.minReplicas);
  assert.ok(Number.isInteger(settings.shardCount) && settings.shardCount >= 3);
});

test('chartSettings: a production region without redis.shard_count is refused by name', () => {
  const root = mkdtempSync(join(tmpdir(), 'kv-capacity-'));
  try {
    for (const file of ['charts/kv-api/values.yaml', 'helmfile.d/values/kv-api/production.yaml']) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      cpSync(join(ROOT, file), join(root, file));
    }
    const region = 'live/prod/europe-west1/region.hcl';
    mkdirSync(dirname(join(root, region)), { recursive: true });
    writeFileSync(join(root, region), readFileSync(join(ROOT, region), 'utf8').replace(/shard_count\s*=\s*\d+/, 'shards = 8'));
    assert.throws(() => chartSettings(root), /region\.hcl: no redis = \{ shard_count = N \}/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// The service's config parser accepts every value the chart can render: the production
// release (as Helmfile renders it) with each integer of values.schema.json at its minimum
// and maximum, each enum value, and a large integer everywhere; the rendered pod
// environment (ConfigMap, Secrets) goes through the service's own validation
// (parseEnvironment of src/config, compiled in dist/ by the build step).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { chartDir, helm, repoRoot, valuesFile, DIGEST } from "./lib/helm.mjs";
import { deepMerge, helmArgs, loadHelmfile } from "./lib/helmfile.mjs";
import { provisionedEnv } from "./lib/infra.mjs";
import { testCa } from "./lib/test-ca.mjs";
import { externalObjects, podPlan } from "../boot/lib/pod.mjs";

const compiled = join(repoRoot, "dist/config/environment.js");
if (!existsSync(compiled)) {
  throw new Error(`${compiled} is missing: run the build step first (npm run build); this suite feeds renders to the compiled parser`);
}
const { parseEnvironment } = createRequire(import.meta.url)(compiled);
const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8"));

/** [{path, kind: "integer"|"enum", schema}] of every leaf under properties (not under arrays). */
function leaves(node, path = []) {
  if (node.enum) return [{ path, kind: "enum", schema: node }];
  if (node.type === "integer") return [{ path, kind: "integer", schema: node }];
  return Object.entries(node.properties ?? {}).flatMap(([k, v]) => leaves(v, [...path, k]));
}
const at = (path, value) => path.reduceRight((acc, k) => ({ [k]: acc }), value);
const key = (path) => path.join(".");

// Values an edge needs from its neighbours to render at all (cross-field rules the schema
// cannot state; the chart refuses them with a message, tested below).
const companions = {
  "config.limits.bodyLimitBytes=min": { config: { limits: { maxKeyBytes: 1, maxValueBytes: 1 } } },
  "config.limits.maxValueBytes=max": { config: { limits: { bodyLimitBytes: schema.properties.config.properties.limits.properties.bodyLimitBytes.maximum } } },
  "autoscaling.minReplicas=max": { autoscaling: { maxReplicas: 500 } },
  "autoscaling.maxReplicas=min": { autoscaling: { minReplicas: 1 } },
  "redis.tls.ca.source=secret": { redis: { tls: { ca: { name: "redis-ca" } } } },
  "redis.tls.ca.source=configMap": { redis: { tls: { ca: { name: "redis-ca" } } } },
};

// The production release exactly as Helmfile renders it, the edge values file last.
const { state, releases } = loadHelmfile("production", undefined, [provisionedEnv("production", { ca: testCa("edges"), digest: DIGEST })]);
const release = releases.find((r) => r.name === "kv-api");
function render(values, set = []) {
  const args = [...helmArgs(state, release), "--values", valuesFile(values), ...set.flatMap((s) => ["--set", s])];
  const r = helm(args);
  return { ...r, docs: r.code === 0 ? parseAllDocuments(r.stdout).map((d) => d.toJS()).filter(Boolean) : [] };
}

/** The pod's environment as the kubelet builds it from the render (no image Env). */
function podEnv(docs) {
  return podPlan(docs, { image: { Env: [] }, rootfs: "/", external: externalObjects(docs) }).env;
}

function assertAccepted(docs, label) {
  let env;
  try {
    env = podEnv(docs);
  } catch (error) {
    assert.fail(`${label}: the pod cannot start: ${error.message}`);
  }
  for (const [k, v] of Object.entries(env)) {
    if (v.trim() !== "" && Number.isFinite(Number(v))) assert.match(v, /^-?\d+$/, `${label}: ${k}=${v} is not in decimal digits`);
  }
  try {
    parseEnvironment(env);
  } catch (error) {
    assert.fail(`${label}: the service rejects the rendered environment: ${error.message}`);
  }
  return env;
}

const edges = leaves(schema).flatMap((leaf) => leaf.kind === "enum"
  ? leaf.schema.enum.map((v) => ({ ...leaf, value: v, label: `${key(leaf.path)}=${v}`, edge: `${key(leaf.path)}=${v}` }))
  : [["min", leaf.schema.minimum], ["max", leaf.schema.maximum]].filter(([, v]) => v !== undefined)
    .map(([edge, v]) => ({ ...leaf, value: v, label: `${key(leaf.path)}=${v} (${edge})`, edge: `${key(leaf.path)}=${edge}` })));

test("the schema has integer and enum edges to test", () => {
  assert.ok(edges.filter((e) => e.kind === "integer").length > 50, `${edges.length} edges`);
  assert.ok(edges.some((e) => key(e.path) === "config.limits.maxValueBytes"));
});

test("every integer at its schema minimum and maximum, and every enum value, renders and the service accepts it", () => {
  const problems = [];
  for (const e of edges) {
    const r = render(deepMerge(at(e.path, e.value), companions[e.edge] ?? {}));
    if (r.code !== 0) {
      problems.push(`${e.label}: the schema allows it but the chart does not render: ${r.stderr.trim().split("\n").pop()}`);
      continue;
    }
    try {
      assertAccepted(r.docs, e.label);
    } catch (error) {
      problems.push(error.message);
    }
  }
  assert.deepEqual(problems, []);
});

test("2147483647 in any integer field is refused by the schema or rendered and accepted", () => {
  const problems = [];
  for (const leaf of leaves(schema).filter((l) => l.kind === "integer")) {
    const r = render(at(leaf.path, 2147483647));
    if (r.code !== 0) {
      if (!/values don't meet the specifications of the schema/.test(r.stderr)) problems.push(`${key(leaf.path)}: ${r.stderr.trim()}`);
      continue;
    }
    try {
      assertAccepted(r.docs, `${key(leaf.path)}=2147483647`);
    } catch (error) {
      problems.push(error.message);
    }
  }
  assert.deepEqual(problems, []);
});

test("limits reach the ConfigMap and the Ingress in decimal digits, from values files (float64) and --set (int64)", () => {
  const limits = { maxKeyBytes: 65536, maxValueBytes: 1048576, bodyLimitBytes: 2097152 };
  const fromFile = render({ config: { limits } });
  const fromSet = render({}, Object.entries(limits).map(([k, v]) => `config.limits.${k}=${v}`));
  for (const [how, r] of [["values file", fromFile], ["--set", fromSet]]) {
    assert.equal(r.code, 0, r.stderr);
    const env = assertAccepted(r.docs, how);
    assert.equal(env.MAX_KEY_BYTES, "65536");
    assert.equal(env.MAX_VALUE_BYTES, "1048576");
    assert.equal(env.BODY_LIMIT_BYTES, "2097152");
    const ingress = r.docs.find((d) => d.kind === "Ingress");
    assert.equal(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-body-size"], "2097152");
  }
});

test("limits the service would refuse together are refused by the chart, with a message", () => {
  const r = render({ config: { limits: { maxKeyBytes: 1024, maxValueBytes: 1048576, bodyLimitBytes: 1048576 } } });
  assert.notEqual(r.code, 0, "rendered a BODY_LIMIT_BYTES the service refuses");
  assert.match(r.stderr, /config\.limits\.bodyLimitBytes must be larger than config\.limits\.maxKeyBytes \+ config\.limits\.maxValueBytes/);
});

test("cluster node lists the schema accepts are accepted by the service", () => {
  const lists = ["10.10.16.2:6379", "10.10.16.2:6379,10.10.16.3:11000", "a b:6379", "h:1234567", "h:6379, h:6380"];
  const problems = [];
  for (const clusterNodes of lists) {
    const r = render({ redis: { clusterNodes } });
    if (r.code !== 0) {
      if (!/values don't meet the specifications of the schema/.test(r.stderr)) problems.push(`${clusterNodes}: ${r.stderr.trim()}`);
      continue;
    }
    try {
      assert.equal(assertAccepted(r.docs, clusterNodes).REDIS_CLUSTER_NODES, clusterNodes);
    } catch (error) {
      problems.push(error.message);
    }
  }
  assert.deepEqual(problems, []);
  assert.equal(render({ redis: { clusterNodes: lists[1] } }).code, 0, "a valid list must render");
});

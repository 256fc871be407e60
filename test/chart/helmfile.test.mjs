// helmfile.d: every release of the local chart rendered exactly as helmfile would,
// external releases' values checked for the production settings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { helm, find, one, chartDir, repoRoot } from "./lib/helm.mjs";
import { validateAll } from "./lib/strict-validate.mjs";
import { loadHelmfile, helmArgs, mergedValues, renderGotmpl, helmfilePath } from "./lib/helmfile.mjs";
import { testCa, caStateValues } from "./lib/test-ca.mjs";

const ENVS = ["production", "staging"];
// The environment files get the real Memorystore CA by merge request; until then (and in CI)
// a test CA is layered over them, as `helmfile --state-values-file` would.
const CA = testCa("test-memorystore-ca");
const load = (env) => loadHelmfile(env, undefined, [caStateValues(CA)]);
const byName = (env) => Object.fromEntries(load(env).releases.map((r) => [r.name, r]));
const toDocs = (stdout) => parseAllDocuments(stdout).map((d) => d.toJS()).filter(Boolean);
const renderRelease = (env, name) => {
  const { state } = load(env);
  const r = helm(helmArgs(state, byName(env)[name]));
  assert.equal(r.code, 0, r.stderr);
  return toDocs(r.stdout);
};
const envFile = (env) => join(repoRoot, "helmfile.d/environments", `${env}.yaml`);

// Every value the SLO rules and dashboards select with label="value" / label=~"regex".
function selectedValues(label) {
  const dirs = ["files/rules", "files/dashboards"].map((d) => join(chartDir, d));
  const texts = dirs.flatMap((d) => readdirSync(d, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => readFileSync(join(d, f.name), "utf8").replaceAll('\\"', '"')));
  const re = new RegExp(`[{,]\\s*${label}\\s*(=~?)\\s*"([^"]*)"`, "g");
  return [...new Set(texts.flatMap((t) => [...t.matchAll(re)].map((m) => `${m[1]}${m[2]}`)))].sort();
}

test("helmfile uses only the template subset the test can reproduce", () => {
  const text = readFileSync(helmfilePath, "utf8");
  assert.throws(() => renderGotmpl("{{ .Values.x | default 1 }}", "production", {}), /unsupported/);
  assert.doesNotThrow(() => loadHelmfile("production"));
  assert.ok(text.includes("{{ .Environment.Name }}"));
});

test("repositories declared and every remote chart version pinned", () => {
  const { state, releases } = loadHelmfile("production");
  const repos = new Set(state.repositories.map((r) => r.name));
  assert.deepEqual([...repos].sort(), ["ingress-nginx", "prometheus-community"]);
  for (const r of releases) {
    assert.ok(r.namespace, `${r.name}: namespace`);
    if (r.local) continue;
    assert.ok(repos.has(r.chart.split("/")[0]), `${r.name}: repository not declared`);
    assert.match(String(r.version), /^\d+\.\d+\.\d+$/, `${r.name}: version must be an exact pin`);
  }
  assert.match(state.kubeVersion, /^v1\.3[23]\./);
  for (const api of ["monitoring.coreos.com/v1", "gateway.networking.k8s.io/v1"]) assert.ok(state.apiVersions.includes(api), api);
});

for (const env of ENVS) {
  test(`${env}: kv-api release renders with helmfile's values and validates strictly`, () => {
    const { state, envValues } = load(env);
    const rel = byName(env)["kv-api"];
    assert.equal(rel.namespace, "kv-api");
    assert.ok(rel.local);
    const r = helm(helmArgs(state, rel));
    assert.equal(r.code, 0, r.stderr);
    const docs = toDocs(r.stdout);
    assert.deepEqual(validateAll(docs), []);
    for (const d of docs) assert.equal(d.metadata.namespace, "kv-api", `${d.kind}/${d.metadata.name}`);
    const image = one(docs, "Deployment").spec.template.spec.containers[0].image;
    assert.ok(image.endsWith(`@${envValues.kvApi.image.digest}`), `image ${image} is not the promoted digest`);
    assert.equal(find(docs, "PodDisruptionBudget").length, 1);
    assert.equal(find(docs, "HorizontalPodAutoscaler").length, 1);
  });

  test(`${env}: the Memorystore CA flows from the environment file into a chart ConfigMap`, () => {
    const docs = renderRelease(env, "kv-api");
    const pod = one(docs, "Deployment").spec.template;
    const vol = pod.spec.volumes.find((v) => v.name === "redis-ca");
    const caMap = find(docs, "ConfigMap").find((c) => c.metadata.name === vol.configMap.name);
    assert.equal(vol.configMap.name, "kv-api-redis-ca");
    assert.deepEqual(caMap.data, { "ca.crt": CA }, "the multi-line PEM must survive the quoted helmfile value");
    assert.match(pod.metadata.annotations["checksum/redis-ca"], /^[a-f0-9]{64}$/);
  });

  test(`${env}: the environment file as committed renders the CA it holds, or fails loudly without one`, () => {
    const { state, envValues, releases } = loadHelmfile(env);
    const r = helm(helmArgs(state, releases.find((x) => x.name === "kv-api")));
    if (envValues.kvApi.redisCa === "") {
      assert.notEqual(r.code, 0, "rendered without a Memorystore CA");
      assert.match(r.stderr, /redis\.tls\.ca\.source=inline needs redis\.tls\.ca\.pem/);
    } else {
      assert.equal(r.code, 0, r.stderr);
      const caMap = find(toDocs(r.stdout), "ConfigMap").find((c) => c.metadata.name === "kv-api-redis-ca");
      assert.equal(caMap.data["ca.crt"].trim(), envValues.kvApi.redisCa.trim());
    }
  });
}

for (const env of ENVS) {
  test(`${env}: the SLO rules and dashboards select the names the kv-api release renders`, () => {
    const docs = renderRelease(env, "kv-api");
    const svc = one(docs, "Service");
    const sm = one(docs, "ServiceMonitor");
    // The operator sets job from this Service label, whatever the release is called.
    assert.equal(sm.spec.jobLabel, "app.kubernetes.io/name");
    const job = svc.metadata.labels[sm.spec.jobLabel];
    const dep = one(docs, "Deployment");
    const hpa = one(docs, "HorizontalPodAutoscaler");
    assert.deepEqual(selectedValues("job"), [`=${job}`]);
    assert.deepEqual(selectedValues("deployment"), [`=${dep.metadata.name}`]);
    assert.deepEqual(selectedValues("horizontalpodautoscaler"), [`=${hpa.metadata.name}`]);
    assert.deepEqual(selectedValues("container"), dep.spec.template.spec.containers.map((c) => `=${c.name}`));
    // Pod names: <deployment>-<pod-template-hash>-<5 chars>.
    const pods = selectedValues("pod").filter((v) => v.startsWith("=~")).map((v) => new RegExp(`^(?:${v.slice(2)})$`));
    assert.ok(pods.length > 0, "no pod selector found: the test would prove nothing");
    for (const re of pods) {
      assert.match(`${dep.metadata.name}-5d4f8b7c9f-x2x7q`, re);
      assert.doesNotMatch(`${dep.metadata.name}-canary-5d4f8b7c9f-x2x7q`, re);
    }
    assert.equal(job, "kv-api");
  });
}

test("environment files hold a well-formed promoted digest and an empty or PEM Memorystore CA", () => {
  // The chart schema's own pattern: the env file must hold what the chart will accept.
  const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8"));
  const pem = new RegExp(schema.properties.redis.properties.tls.properties.ca.properties.pem.anyOf[1].pattern);
  assert.ok(pem.test(CA) && !pem.test("not a certificate"), "the PEM pattern must discriminate");
  for (const env of ENVS) {
    const { kvApi } = loadHelmfile(env).envValues;
    assert.match(kvApi.image.digest, /^sha256:[a-f0-9]{64}$/);
    assert.equal(typeof kvApi.redisCa, "string", `${env}: kvApi.redisCa`);
    if (kvApi.redisCa !== "") assert.match(kvApi.redisCa, pem, `${env}: kvApi.redisCa is not a PEM certificate bundle`);
  }
});

for (const env of ENVS) {
  test(`${env}: ingress-nginx values are HA, observable and hardened`, () => {
    const rel = byName(env)["ingress-nginx"];
    assert.match(rel.version, /^4\.1[23]\.\d+$/);
    const c = mergedValues(rel).controller;
    assert.ok(c.replicaCount >= 3);
    assert.ok(c.autoscaling.enabled && c.autoscaling.minReplicas >= 3 && c.autoscaling.maxReplicas > c.autoscaling.minReplicas);
    assert.ok(c.minAvailable >= 1 && c.minAvailable < c.autoscaling.minReplicas, "PDB must allow one disruption");
    assert.equal(c.service.externalTrafficPolicy, "Local");
    assert.equal(c.allowSnippetAnnotations, false);
    assert.equal(c.metrics.enabled, true);
    assert.equal(c.metrics.serviceMonitor.enabled, true);
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory);
    assert.ok(c.topologySpreadConstraints.some((t) => t.topologyKey === "topology.kubernetes.io/zone"));
    assert.equal(c.admissionWebhooks.patch.enabled, true);
  });

  test(`${env}: kube-prometheus-stack values: retention, storage, HA, selectors, Grafana`, () => {
    const rel = byName(env)["kube-prometheus-stack"];
    assert.match(rel.version, /^7\d\.\d+\.\d+$/);
    const v = mergedValues(rel);
    const p = v.prometheus.prometheusSpec;
    assert.ok(parseInt(p.retention, 10) >= 30 && p.retention.endsWith("d"), `retention ${p.retention}`);
    assert.equal(p.replicas, 2);
    assert.equal(p.storageSpec.volumeClaimTemplate.spec.storageClassName, "premium-rwo");
    assert.ok(p.storageSpec.volumeClaimTemplate.spec.resources.requests.storage);
    for (const k of ["serviceMonitorSelectorNilUsesHelmValues", "ruleSelectorNilUsesHelmValues", "podMonitorSelectorNilUsesHelmValues"]) assert.equal(p[k], false, k);
    assert.equal(v.alertmanager.alertmanagerSpec.replicas, 3);
    // The upstream chart renders both keys when both are set, which the API server rejects.
    for (const [name, pdb, replicas] of [["prometheus", v.prometheus.podDisruptionBudget, p.replicas],
      ["alertmanager", v.alertmanager.podDisruptionBudget, v.alertmanager.alertmanagerSpec.replicas]]) {
      assert.equal(pdb.maxUnavailable, undefined, `${name}: minAvailable only`);
      assert.equal(pdb.minAvailable, replicas - 1, `${name}: one pod may be disrupted`);
    }
    assert.equal(v.grafana.admin.existingSecret, "grafana-admin");
    assert.equal(v.grafana.adminPassword, undefined, "no Grafana password in values");
    assert.equal(v.grafana.sidecar.dashboards.enabled, true);
    assert.equal(v.grafana.sidecar.dashboards.label, "grafana_dashboard");
    assert.equal(v.grafana.sidecar.dashboards.searchNamespace, "ALL");
    assert.equal(v.crds.enabled, true);
    assert.equal(v.prometheusOperator.admissionWebhooks.patch.enabled, true);
  });
}

test("no secret material in any helmfile values or environment file", () => {
  // Certificates are public (the Memorystore CA); any other PEM block is not.
  const secret = /-----BEGIN (?!CERTIFICATE-----)|password:\s*\S|apiKey:\s*\S|private_key/i;
  for (const env of ENVS) {
    const files = [envFile(env), ...load(env).releases.flatMap((rel) => rel.valueFiles)];
    for (const f of files) assert.doesNotMatch(readFileSync(f, "utf8"), secret, f);
  }
  assert.match("-----BEGIN EC PRIVATE KEY-----", secret);
  assert.doesNotMatch(CA, secret);
});

// Proves the strict validator can fail: for every kind it knows, a valid sample passes,
// and the same sample with an unknown field or a wrong type is rejected.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { template, repoRoot } from "./lib/helm.mjs";
import { validateManifest, supportedKinds } from "./lib/strict-validate.mjs";

const ci = join(repoRoot, "test/chart/values/ci.yaml");
const chart = template({
  values: [ci, {
    ingress: { enabled: true, host: "kv.example.com", tls: { secretName: "kv-tls" } },
    gateway: { enabled: true, hostnames: ["kv.example.com"], parentRefs: [{ name: "gw", namespace: "gw" }] },
  }],
});
const apps = template({ chart: join(repoRoot, "argocd/apps"), release: "platform-apps", namespace: "argocd" });
// Every part of the platform chart at once, from the values files its releases use.
const pv = (f) => join(repoRoot, "helmfile.d/values/platform", f);
const platform = template({
  chart: join(repoRoot, "charts/platform"), release: "platform", namespace: "kube-system",
  values: [pv("base.yaml"), pv("policies.yaml"), pv("policies-production.yaml"),
    { gcp: { projectId: "kv-api-prod", clusterName: "kv-api-prod", clusterLocation: "europe-west1" } }],
});
const prometheusRule = {
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PrometheusRule",
  metadata: { name: "sample" },
  spec: { groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", for: "5m", labels: { severity: "page" } }] }] },
};

const samples = new Map();
for (const d of [...chart.docs, ...apps.docs, ...platform.docs, prometheusRule]) samples.set(`${d.apiVersion}/${d.kind}`, d);

test("every supported kind has a rendered sample", () => {
  assert.equal(chart.code, 0, chart.stderr);
  assert.equal(apps.code, 0, apps.stderr);
  assert.equal(platform.code, 0, platform.stderr);
  assert.deepEqual(supportedKinds().filter((k) => !samples.has(k)), []);
});

for (const kind of supportedKinds()) {
  test(`strict validator: ${kind} valid sample passes, unknown fields and wrong types fail`, () => {
    const doc = samples.get(kind);
    assert.deepEqual(validateManifest(doc), []);
    const top = structuredClone(doc);
    top.spek = {};
    assert.match(validateManifest(top).join("\n"), /unknown field \.spek|must NOT have additional properties/);
    // Under spec (or metadata); `data` maps of ConfigMaps reject non-string values instead.
    const body = doc.spec ? "spec" : "metadata";
    const nested = structuredClone(doc);
    nested[body].notAField = true;
    assert.match(validateManifest(nested).join("\n"), new RegExp(`unknown field \\.${body}\\.notAField|must NOT have additional properties`));
    const typed = structuredClone(doc);
    typed.metadata.name = 42;
    assert.ok(validateManifest(typed).length > 0, "wrong type accepted");
  });
}

test("deep unknown fields are found (container, probe, ServiceMonitor endpoint, sync policy)", () => {
  const dep = structuredClone(samples.get("apps/v1/Deployment"));
  dep.spec.template.spec.containers[0].readinessProbe.httpGet.pathh = "/x";
  assert.deepEqual(validateManifest(dep), ["Deployment/kv-api: unknown field .spec.template.spec.containers[0].readinessProbe.httpGet.pathh"]);
  const sm = structuredClone(samples.get("monitoring.coreos.com/v1/ServiceMonitor"));
  sm.spec.endpoints[0].intervall = "1m";
  assert.equal(validateManifest(sm).length, 1);
  const app = structuredClone(samples.get("argoproj.io/v1alpha1/Application"));
  app.spec.syncPolicy.automated.selfheal = true;
  assert.equal(validateManifest(app).length, 1);
});

test("labels and annotations (maps) accept any key; unknown kinds are errors", () => {
  const cm = structuredClone(samples.get("v1/ConfigMap"));
  cm.metadata.labels["example.com/any-key"] = "x";
  assert.deepEqual(validateManifest(cm), []);
  assert.match(validateManifest({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })[0], /no schema/);
});

// kv-api chart: lint, render scenarios, strict schema validation, production invariants,
// values.schema.json rejections.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { helm, template, chartDir, find, one, repoRoot } from "./lib/helm.mjs";
import { validateAll } from "./lib/strict-validate.mjs";
import { testCa } from "./lib/test-ca.mjs";
import { loadHelmfile } from "./lib/helmfile.mjs";
import { provisionedEnv } from "./lib/infra.mjs";

const ci = join(repoRoot, "test/chart/values/ci.yaml");
// The CA reaches the release from the environment file (helmfile.test.mjs); here a test CA.
const CA = testCa("test-ca-1");
// Production exactly as helmfile passes it: base, production and the release's inline
// values from an environment file provisioned by scripts/infra-values.mjs.
const prodEnv = provisionedEnv("production");
const production = loadHelmfile("production", undefined, [prodEnv]).releases.find((r) => r.name === "kv-api").valueFiles;
const inlineCa = (pem) => ({ redis: { tls: { enabled: true, ca: { enabled: true, source: "inline", pem } } } });
const sha256 = (s) => createHash("sha256").update(s).digest("hex");

function render(values, set = []) {
  const r = template({ values, set });
  assert.equal(r.code, 0, `helm template failed:\n${r.stderr}`);
  return r.docs;
}
function assertValid(docs) {
  assert.ok(docs.length > 0, "nothing rendered");
  assert.deepEqual(validateAll(docs), []);
}
const pod = (docs) => one(docs, "Deployment").spec.template.spec;
const container = (docs) => pod(docs).containers.find((c) => c.name === "kv-api");
// The ConfigMap the container reads its environment from (dashboards are ConfigMaps too).
const appConfig = (docs) => {
  const name = container(docs).envFrom[0].configMapRef.name;
  return find(docs, "ConfigMap").find((c) => c.metadata.name === name).data;
};

test("helm lint --strict passes with CI values", () => {
  const r = helm(["lint", "--strict", chartDir, "--values", ci, "--kube-version", "1.33.0"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

test("default values fail to render without an image digest", () => {
  const r = template({ values: [] });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /image\.digest is required/);
});

test("dev flag renders repository:tag without a digest", () => {
  const docs = render([{ image: { allowTagWithoutDigest: true, tag: "dev-1" } }]);
  assert.match(container(docs).image, /:dev-1$/);
  assertValid(docs);
});

const scenarios = {
  "CI defaults": { values: [ci] },
  production: { values: production },
  "single replica without HPA": { values: [ci, { autoscaling: { enabled: false }, replicaCount: 1 }] },
  "gateway instead of ingress": {
    values: [...production, {
      ingress: { enabled: false },
      gateway: { enabled: true, hostnames: ["kv.example.com"], parentRefs: [{ name: "external", namespace: "gateway-infra", sectionName: "https" }], backendPolicy: { securityPolicy: "kv-api-edge" } },
    }],
  },
  "network policy off": { values: [ci, { networkPolicy: { enabled: false } }] },
  "inline Redis CA": { values: [ci, inlineCa(CA)] },
  "TLS CA secret and API keys secret": {
    values: [ci, { redis: { tls: { enabled: true, ca: { enabled: true, source: "secret", name: "redis-ca" } }, password: { existingSecret: "redis-auth" } }, apiKeys: { existingSecret: "kv-api-keys" } }],
  },
};
for (const [name, s] of Object.entries(scenarios)) {
  test(`renders and validates strictly (Kubernetes 1.33 + CRDs): ${name}`, () => assertValid(render(s.values)));
}

test("PDB only when more than one pod can exist", () => {
  assert.equal(find(render(scenarios["single replica without HPA"].values), "PodDisruptionBudget").length, 0);
  assert.equal(find(render([ci, { autoscaling: { minReplicas: 1 } }]), "PodDisruptionBudget").length, 0);
  assert.equal(find(render([ci, { autoscaling: { enabled: false }, replicaCount: 2 }]), "PodDisruptionBudget").length, 1);
  assert.equal(one(render(production), "PodDisruptionBudget").spec.maxUnavailable, 1);
});

test("gateway mode: HTTPRoute + GKE policies, no Ingress, LB ranges allowed", () => {
  const docs = render(scenarios["gateway instead of ingress"].values);
  assert.equal(find(docs, "Ingress").length, 0);
  const route = one(docs, "HTTPRoute");
  assert.equal(route.spec.parentRefs[0].name, "external");
  assert.equal(route.spec.rules[0].backendRefs[0].port, 80);
  const hc = one(docs, "HealthCheckPolicy").spec.default.config.httpHealthCheck;
  assert.deepEqual([hc.port, hc.requestPath], [9464, "/health/ready"]);
  assert.equal(one(docs, "GCPBackendPolicy").spec.default.securityPolicy, "kv-api-edge");
  const cidrs = one(docs, "NetworkPolicy").spec.ingress.flatMap((r) => r.from.map((f) => f.ipBlock?.cidr)).filter(Boolean);
  assert.deepEqual(cidrs, ["130.211.0.0/22", "35.191.0.0/16"]);
});

test("secret references: CA file, password secretKeyRef, API keys file; no secret values", () => {
  const docs = render(scenarios["TLS CA secret and API keys secret"].values);
  const cm = appConfig(docs);
  assert.equal(cm.REDIS_TLS_CA_FILE, "/etc/kv-api/redis-ca/ca.crt");
  assert.equal(cm.API_KEYS_FILE, "/etc/kv-api/api-keys/api-keys");
  assert.equal(cm.REDIS_TLS, "true");
  const c = container(docs);
  assert.deepEqual(c.env, [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "redis-auth", key: "password" } } }]);
  const vols = Object.fromEntries(pod(docs).volumes.map((v) => [v.name, v]));
  assert.equal(vols["redis-ca"].secret.secretName, "redis-ca");
  assert.equal(vols["api-keys"].secret.secretName, "kv-api-keys");
  // Read the same by YAML 1.1 (Kubernetes) and 1.2 parsers: no octal literal in the manifest.
  for (const v of [vols["redis-ca"].secret, vols["api-keys"].secret]) assert.equal(v.defaultMode, 0o440);
  assert.deepEqual(c.volumeMounts.map((m) => m.mountPath).sort(), ["/etc/kv-api/api-keys", "/etc/kv-api/redis-ca", "/tmp"]);
  assert.equal(find(docs, "Secret").length, 0, "the chart must never render Secrets");
});

test("inline CA: the chart renders its ConfigMap with the PEM, mounted where REDIS_TLS_CA_FILE points", () => {
  const docs = render([ci, inlineCa(CA)]);
  const caMap = find(docs, "ConfigMap").find((c) => c.metadata.name === "kv-api-redis-ca");
  assert.ok(caMap, "no kv-api-redis-ca ConfigMap");
  assert.equal(caMap.metadata.namespace, "kv-api");
  assert.deepEqual(caMap.data, { "ca.crt": CA });
  const vol = pod(docs).volumes.find((v) => v.name === "redis-ca");
  assert.deepEqual(vol.configMap, { name: "kv-api-redis-ca", defaultMode: 0o440, items: [{ key: "ca.crt", path: "ca.crt" }] });
  const mount = container(docs).volumeMounts.find((m) => m.name === "redis-ca");
  assert.equal(appConfig(docs).REDIS_TLS_CA_FILE, `${mount.mountPath}/${vol.configMap.items[0].path}`);
  assert.equal(appConfig(docs).REDIS_TLS_CA_FILE, "/etc/kv-api/redis-ca/ca.crt");
  // Surrounding whitespace from a pasted block is normalised; the file still ends in one newline.
  assert.equal(find(render([ci, inlineCa(`\n${CA}\n\n`)]), "ConfigMap").find((c) => c.metadata.name === "kv-api-redis-ca").data["ca.crt"], CA);
});

test("inline CA: checksum/redis-ca rolls the pods when the PEM changes, and only then", () => {
  const annotations = (values) => one(render(values), "Deployment").spec.template.metadata.annotations;
  const a = annotations([ci, inlineCa(CA)]);
  const b = annotations([ci, inlineCa(testCa("test-ca-2"))]);
  assert.equal(a["checksum/redis-ca"], sha256(CA));
  assert.notEqual(a["checksum/redis-ca"], b["checksum/redis-ca"]);
  assert.equal(a["checksum/config"], b["checksum/config"], "the CA is not part of the app ConfigMap");
  assert.equal(annotations([ci, inlineCa(CA), { config: { logLevel: "debug" } }])["checksum/redis-ca"], a["checksum/redis-ca"]);
  const secret = annotations(scenarios["TLS CA secret and API keys secret"].values);
  assert.equal(secret["checksum/redis-ca"], undefined, "a CA outside the chart has no checksum here");
});

test("inline CA: a rotation bundle (old and new CA) is accepted and rendered whole", () => {
  const bundle = CA + testCa("test-ca-2");
  const docs = render([ci, inlineCa(bundle)]);
  assertValid(docs);
  assert.equal(find(docs, "ConfigMap").find((c) => c.metadata.name === "kv-api-redis-ca").data["ca.crt"], bundle);
});

test("inline CA without a PEM fails to render and says where the CA comes from", () => {
  const r = template({ values: [ci, inlineCa("")] });
  assert.notEqual(r.code, 0, "rendered without a CA");
  assert.match(r.stderr, /redis\.tls\.ca\.source=inline needs redis\.tls\.ca\.pem/);
  assert.match(r.stderr, /infra\.redis\.ca in helmfile\.d\/environments\/<env>\.yaml/);
});

test("config checksum changes the pod template when the ConfigMap changes", () => {
  const a = one(render([ci]), "Deployment").spec.template.metadata.annotations["checksum/config"];
  const b = one(render([ci, { config: { logLevel: "debug" } }]), "Deployment").spec.template.metadata.annotations["checksum/config"];
  assert.match(a, /^[a-f0-9]{64}$/);
  assert.notEqual(a, b);
});

test("production invariants", () => {
  const docs = render(production);
  const p = pod(docs);
  const c = container(docs);
  // Image by digest, never :latest.
  assert.match(c.image, /^[^:@]+(:\d+)?\/[^@:]+@sha256:[a-f0-9]{64}$/);
  for (const d of docs) assert.ok(!JSON.stringify(d).includes(":latest"), `${d.kind} references :latest`);
  // Pod Security "restricted".
  assert.deepEqual(p.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } });
  assert.equal(p.automountServiceAccountToken, false);
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.equal(c.securityContext.runAsNonRoot, true);
  assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
  assert.equal(one(docs, "ServiceAccount").automountServiceAccountToken, false);
  // Probes: HTTP on the management port, contract paths.
  const mgmt = c.ports.find((x) => x.name === "management");
  assert.equal(mgmt.containerPort, 9464);
  assert.equal(c.ports.find((x) => x.name === "http").containerPort, 8080);
  for (const [probe, path] of [["startupProbe", "/health/startup"], ["readinessProbe", "/health/ready"], ["livenessProbe", "/health/live"]]) {
    assert.equal(c[probe].httpGet.port, "management", probe);
    assert.equal(c[probe].httpGet.path, path, probe);
  }
  // Resources: requests set, memory limited.
  assert.equal(c.resources.requests.cpu, "500m");
  assert.equal(c.resources.requests.memory, "256Mi");
  assert.equal(c.resources.limits.memory, "512Mi");
  const cm = appConfig(docs);
  // V8's young generation sized for load, not from the 512Mi limit (ADR 0066).
  assert.equal(cm.NODE_OPTIONS, "--max-semi-space-size=16");
  // Graceful shutdown: grace >= drain + timeout; no preStop needed.
  const needed = (Number(cm.SHUTDOWN_DRAIN_DELAY_MS) + Number(cm.SHUTDOWN_TIMEOUT_MS)) / 1000;
  assert.ok(p.terminationGracePeriodSeconds > needed, `${p.terminationGracePeriodSeconds} <= ${needed}`);
  assert.equal(p.terminationGracePeriodSeconds, 30);
  assert.equal(c.lifecycle, undefined);
  // Rollout and spread.
  const dep = one(docs, "Deployment");
  assert.deepEqual(dep.spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: "25%" });
  assert.equal(dep.spec.replicas, undefined, "replicas must be owned by the HPA");
  const keys = p.topologySpreadConstraints.map((t) => `${t.topologyKey}:${t.whenUnsatisfiable}`);
  assert.deepEqual(keys, ["topology.kubernetes.io/zone:DoNotSchedule", "kubernetes.io/hostname:ScheduleAnyway"]);
  // HPA with stabilisation.
  const hpa = one(docs, "HorizontalPodAutoscaler");
  // The bounds follow the capacity model (docs/performance.md), which `npm run bench` checks
  // them against; its invariant here: whole zones of pods, at least two in each of three.
  assert.ok(hpa.spec.minReplicas >= 6 && hpa.spec.minReplicas % 3 === 0, `minReplicas ${hpa.spec.minReplicas}`);
  assert.equal(hpa.spec.metrics[0].resource.name, "cpu");
  assert.equal(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds, 300);
  assert.equal(one(docs, "PodDisruptionBudget").apiVersion, "policy/v1");
  // Workload Identity.
  assert.equal(one(docs, "ServiceAccount").metadata.annotations["iam.gke.io/gcp-service-account"], prodEnv.infra.workloadServiceAccount);
  // Service ports.
  const svcPorts = one(docs, "Service").spec.ports.map((x) => `${x.name}:${x.port}->${x.targetPort}`);
  assert.deepEqual(svcPorts, ["http:80->http", "management:9464->management"]);
  // ServiceMonitor scrapes the management port.
  const ep = one(docs, "ServiceMonitor").spec.endpoints[0];
  assert.deepEqual([ep.port, ep.path], ["management", "/metrics"]);
  // Ingress: TLS, limits matching the service.
  const ing = one(docs, "Ingress");
  const an = ing.metadata.annotations;
  // Whole bytes, as nginx and the service's parser both read them (no 2.097152e+06).
  assert.equal(an["nginx.ingress.kubernetes.io/proxy-body-size"], "2097152");
  assert.equal(cm.BODY_LIMIT_BYTES, "2097152");
  assert.equal(cm.MAX_VALUE_BYTES, "1048576");
  assert.ok(Number(an["nginx.ingress.kubernetes.io/limit-rps"]) > 0);
  assert.equal(ing.spec.tls[0].secretName, "kv-api-tls");
  assert.equal(ing.spec.rules[0].http.paths[0].backend.service.port.name, "http");
});

test("production NetworkPolicy: ingress from controller and Prometheus only; egress DNS, Redis, metadata", () => {
  const np = one(render(production), "NetworkPolicy").spec;
  assert.deepEqual(np.policyTypes, ["Ingress", "Egress"]);
  const ingress = np.ingress.map((r) => [r.from[0].namespaceSelector?.matchLabels["kubernetes.io/metadata.name"], r.ports.map((p) => p.port)]);
  assert.deepEqual(ingress, [["ingress-nginx", ["http"]], ["monitoring", ["management"]]]);
  const egress = np.egress.map((r) => r.to.map((t) => t.ipBlock?.cidr ?? t.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).join(",") + "=" + r.ports.map((p) => `${p.port}${p.endPort ? "-" + p.endPort : ""}/${p.protocol}`).join(","));
  assert.deepEqual(egress, [
    "kube-system=53/UDP,53/TCP",
    "10.10.16.0/26=6379/TCP,11000-13047/TCP",
    "169.254.169.252/32=988/TCP",
    "169.254.169.254/32=80/TCP",
  ]);
});

const GSA = "kv-api@kv-api-prod.iam.gserviceaccount.com";
const iam = { redis: { authMode: "iam" }, workloadIdentity: { enabled: true, gcpServiceAccount: GSA } };

test("redis.authMode: password by default, iam renders REDIS_AUTH_MODE=iam without a password", () => {
  assert.equal(appConfig(render([ci])).REDIS_AUTH_MODE, "password");
  const docs = render([ci, iam]);
  assertValid(docs);
  assert.equal(appConfig(docs).REDIS_AUTH_MODE, "iam");
  assert.equal(container(docs).env, undefined, "no REDIS_PASSWORD with IAM auth");
  assert.equal(one(docs, "ServiceAccount").metadata.annotations["iam.gke.io/gcp-service-account"], GSA);
});

// Combinations the schema cannot express: the templates refuse them with a message.
const renderFailures = {
  "redis.authMode=iam without Workload Identity": [{ redis: { authMode: "iam" } }, /redis\.authMode=iam needs workloadIdentity\.enabled=true/],
  "redis.authMode=iam with a password secret": [{ ...iam, redis: { authMode: "iam", password: { existingSecret: "redis-auth" } } }, /redis\.authMode=iam excludes redis\.password\.existingSecret/],
  "minReplicas above maxReplicas": [{ autoscaling: { minReplicas: 10, maxReplicas: 5 } }, /minReplicas must not exceed/],
  "the API and management ports equal": [{ ports: { http: 9464, management: 9464 } }, /ports\.http and ports\.management must differ/],
  "ingress enabled without host": [{ ingress: { enabled: true, host: "", tls: { secretName: "x" } } }, /ingress\.host is empty: it is .*infra\.ingress\.host/],
  "Workload Identity without GSA": [{ workloadIdentity: { enabled: true, gcpServiceAccount: "" } }, /workloadIdentity\.gcpServiceAccount is empty/],
  "no Redis host": [{ redis: { host: "" } }, /redis\.host is empty: it is .*discovery_endpoint_address/],
  "API keys from Secret Manager without Workload Identity": [{ apiKeys: { existingSecret: "k", externalSecret: { enabled: true, projectId: "kv-api-prod", clusterName: "c", clusterLocation: "l" } } }, /needs workloadIdentity\.enabled/],
  "API keys from Secret Manager without the cluster": [{ ...iam, apiKeys: { existingSecret: "k", externalSecret: { enabled: true } } }, /apiKeys\.externalSecret\.projectId is required/],
};
for (const [name, [values, message]] of Object.entries(renderFailures)) {
  test(`fails to render with ${name}`, () => {
    const r = template({ values: [ci, values] });
    assert.notEqual(r.code, 0, "rendered although invalid");
    assert.match(r.stderr, message);
  });
}

test("production: Memorystore cluster with IAM auth and TLS against the server CA from Git", () => {
  const docs = render(production);
  const cm = appConfig(docs);
  assert.equal(cm.REDIS_MODE, "cluster");
  assert.equal(cm.REDIS_AUTH_MODE, "iam");
  assert.equal(cm.REDIS_TLS, "true");
  assert.equal(cm.REDIS_TLS_CA_FILE, "/etc/kv-api/redis-ca/ca.crt");
  assert.equal(cm.REDIS_PASSWORD, undefined);
  assert.equal(cm.REDIS_PASSWORD_FILE, undefined);
  const c = container(docs);
  assert.equal((c.env ?? []).filter((e) => e.name.startsWith("REDIS_PASSWORD")).length, 0);
  const ca = pod(docs).volumes.find((v) => v.name === "redis-ca");
  assert.equal(ca.configMap.name, "kv-api-redis-ca");
  assert.deepEqual(ca.configMap.items, [{ key: "ca.crt", path: "ca.crt" }]);
  assert.deepEqual(find(docs, "ConfigMap").find((m) => m.metadata.name === ca.configMap.name).data, { "ca.crt": prodEnv.infra.redis.ca });
  assert.equal(one(docs, "Deployment").spec.template.metadata.annotations["checksum/redis-ca"], sha256(prodEnv.infra.redis.ca));
  assert.deepEqual(c.volumeMounts.find((m) => m.name === "redis-ca"), { name: "redis-ca", mountPath: "/etc/kv-api/redis-ca", readOnly: true });
});

test("production: alerts link the runbooks of this repository", () => {
  const rule = one(render(production), "PrometheusRule");
  const alerts = rule.spec.groups.flatMap((g) => g.rules).filter((r) => r.alert);
  assert.ok(alerts.length > 0);
  for (const a of alerts) assert.equal(a.annotations.runbook_url, `https://gitlab.com/platform/kv-api/-/blob/main/docs/runbooks/${a.alert}.md`);
});

// values.schema.json must reject each of these.
const bad = {
  "digest not sha256": { image: { digest: "sha256:abc" } },
  "digest uppercase": { image: { digest: `sha256:${"A".repeat(64)}` } },
  "tag latest": { image: { tag: "latest" } },
  "unknown top-level key": { replicas: 3 },
  "unknown nested key": { autoscaling: { minReplica: 2 } },
  "replicaCount zero": { replicaCount: 0 },
  "replicaCount as string": { replicaCount: "3" },
  "redis mode enum": { redis: { mode: "sentinel" } },
  "pullPolicy enum": { image: { pullPolicy: "Never" } },
  "service type LoadBalancer": { service: { type: "LoadBalancer" } },
  "probe on the API path": { probes: { liveness: { path: "/" } } },
  "zone spread enum": { topologySpread: { zone: { whenUnsatisfiable: "Sometimes" } } },
  "memory limit removed": { resources: { limits: { memory: null } } },
  "CPU request not a quantity": { resources: { requests: { cpu: "half" } } },
  "ingress host that is no DNS name": { ingress: { enabled: true, host: "Kv_API", tls: { secretName: "x" } } },
  "gateway enabled without parentRefs": { gateway: { enabled: true, hostnames: ["a.example.com"], parentRefs: [] } },
  "CA enabled without name": { redis: { tls: { ca: { enabled: true, name: "" } } } },
  "CA source enum": { redis: { tls: { ca: { source: "vault" } } } },
  "CA pem not PEM": { redis: { tls: { ca: { enabled: true, source: "inline", pem: "ca.crt" } } } },
  "CA pem not a certificate": { redis: { tls: { ca: { enabled: true, source: "inline", pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" } } } },
  "CA pem with a private key appended": { redis: { tls: { ca: { enabled: true, source: "inline", pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" } } } },
  "CA inline with a name": { redis: { tls: { ca: { enabled: true, source: "inline", name: "memorystore-server-ca", pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" } } } },
  "bad Redis CIDR": { networkPolicy: { redis: { cidrs: ["10.0.0.0"] } } },
  "no Gateway source CIDR": { networkPolicy: { gatewaySourceCIDRs: [] } },
  "Workload Identity with a malformed GSA": { workloadIdentity: { enabled: true, gcpServiceAccount: "kv-api@example.com" } },
  "redis authMode enum": { redis: { authMode: "token" } },
  "prometheusRule unknown key": { prometheusRule: { runbookUrl: "https://x.example/" } },
  "prometheusRule enabled as string": { prometheusRule: { enabled: "true" } },
  "prometheusRule release empty": { prometheusRule: { release: "" } },
  "prometheusRule label not a string": { prometheusRule: { labels: { team: 1 } } },
  "runbookBaseUrl over http": { prometheusRule: { runbookBaseUrl: "http://gitlab.com/platform/kv-api/-/blob/main/docs/runbooks/" } },
  "runbookBaseUrl without trailing slash": { prometheusRule: { runbookBaseUrl: "https://gitlab.com/platform/kv-api/-/blob/main/docs/runbooks" } },
  "dashboards unknown key": { dashboards: { folderName: "kv-api" } },
  "dashboards enabled as string": { dashboards: { enabled: "true" } },
  "dashboards label empty": { dashboards: { label: "" } },
  "dashboards labelValue not a string": { dashboards: { labelValue: 1 } },
  "dashboards namespace not a string": { dashboards: { namespace: false } },
  "dashboards folder not a string": { dashboards: { folder: 2 } },
  "dashboards folderAnnotation empty": { dashboards: { folderAnnotation: "" } },
};
for (const [name, values] of Object.entries(bad)) {
  test(`values.schema.json rejects: ${name}`, () => {
    const r = template({ values: [ci, values] });
    assert.notEqual(r.code, 0, `rendered although invalid: ${name}`);
    assert.match(r.stderr, /values don't meet the specifications of the schema/);
  });
}

test("values.schema.json is generated from scripts/values-schema.mjs", () => {
  const r = spawnSync(process.execPath, [join(repoRoot, "scripts/values-schema.mjs")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(chartDir, "values.schema.json"), "utf8"), r.stdout);
});

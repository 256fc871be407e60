// helmfile.d: the state file rendered by Go templates as helmfile renders it, every local
// release rendered with exactly the arguments helmfile passes to helm, Terraform outputs
// flowing into the releases, and the cross-release contracts (Secrets, waves, policies).
// Upstream charts (kube-prometheus-stack, ingress-nginx, ...) cannot be downloaded here:
// their side of a contract is read from the values helmfile gives them, and said so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { helm, find, one, chartDir, repoRoot, DIGEST } from "./lib/helm.mjs";
import { validateAll } from "./lib/strict-validate.mjs";
import { loadHelmfile, helmArgs, mergedValues, renderGotmpl } from "./lib/helmfile.mjs";
import { provisionedEnv } from "./lib/infra.mjs";

const ENVS = ["production", "staging"];
const provisioned = Object.fromEntries(ENVS.map((env) => [env, provisionedEnv(env)]));
const load = (env, extra = []) => loadHelmfile(env, undefined, [provisioned[env], ...extra]);
const byName = (env) => Object.fromEntries(load(env).releases.map((r) => [r.name, r]));
const toDocs = (stdout) => parseAllDocuments(stdout).map((d) => d.toJS()).filter(Boolean);
function renderRelease(env, name, extra = []) {
  const { state, releases } = load(env, extra);
  const r = helm(helmArgs(state, releases.find((x) => x.name === name)));
  assert.equal(r.code, 0, `${env}/${name}: ${r.stderr}`);
  return toDocs(r.stdout);
}
const localReleases = (env) => load(env).releases.filter((r) => r.local).map((r) => r.name);

test("the state file is a Go template: sprig works, helmfile-only functions fail loudly", () => {
  assert.equal(renderGotmpl('{{ .Values.a | default "x" | upper }}', "production", {}).trim(), "X");
  assert.throws(() => renderGotmpl('{{ env "HOME" }}', "production", {}), /function "env" not defined/);
  assert.throws(() => loadHelmfile("nowhere"), /unknown environment nowhere/);
});

test("repositories declared and used, every remote chart pinned to an exact version", () => {
  const { state, releases } = load("production");
  const repos = state.repositories.map((r) => r.name);
  const used = new Set(releases.filter((r) => !r.local).map((r) => r.chart.split("/")[0]));
  assert.deepEqual([...repos].sort(), [...used].sort(), "every repository is used, every used one declared");
  for (const r of releases) {
    assert.ok(r.namespace, `${r.name}: namespace`);
    if (!r.local) assert.match(String(r.version), /^v?\d+\.\d+\.\d+$/, `${r.name}: version must be an exact pin`);
  }
});

test("the cluster's version and API list from Argo CD reach helm's arguments", () => {
  const cluster = { cluster: { kubeVersion: "v1.34.2", apiVersions: ["discovery.k8s.io/v1/EndpointSlice", "example.com/v1"] } };
  const { state, releases } = load("production", [cluster]);
  const args = helmArgs(state, releases.find((r) => r.name === "kube-prometheus-stack")).join(" ");
  assert.match(args, /--kube-version v1\.34\.2/);
  assert.match(args, /--api-versions discovery\.k8s\.io\/v1\/EndpointSlice --api-versions example\.com\/v1/);
  assert.doesNotMatch(args, /monitoring\.coreos\.com/, "the defaults are replaced, not merged");
});

for (const env of ENVS) {
  // Each placeholder alone, over an otherwise provisioned environment: one clear message each.
  const refusals = {
    "the all-zero digest": [{ kvApi: { image: { digest: `sha256:${"0".repeat(64)}` } } }, /image\.digest is the all-zero placeholder: no image has been promoted/],
    "an empty CA": [{ infra: { redis: { ca: "" } } }, /needs redis\.tls\.ca\.pem.*infra\.redis\.ca.*scripts\/infra-values\.mjs/],
    "a CA that is no certificate": [{ infra: { redis: { ca: "TODO" } } }, /redis\.tls\.ca\.pem: .*does not match/],
    "an empty Redis host": [{ infra: { redis: { host: "" } } }, /redis\.host is empty: it is .*infra\.redis\.host.*discovery_endpoint_address/],
    "an empty workload SA": [{ infra: { workloadServiceAccount: "" } }, /workloadIdentity\.gcpServiceAccount is empty/],
    "an empty ingress host": [{ infra: { ingress: { host: "" } } }, /ingress\.host is empty/],
  };
  for (const [what, [over, message]] of Object.entries(refusals)) {
    test(`${env}: kv-api refuses to render ${what}, and says where the value comes from`, () => {
      const { state, releases } = load(env, [over]);
      const r = helm(helmArgs(state, releases.find((x) => x.name === "kv-api")));
      assert.notEqual(r.code, 0, `rendered with ${what}`);
      assert.match(r.stderr, message);
    });
  }

  test(`${env}: as committed (no promotion, no Terraform outputs yet), kv-api refuses to render`, () => {
    const { state, releases } = loadHelmfile(env);
    const r = helm(helmArgs(state, releases.find((x) => x.name === "kv-api")));
    assert.notEqual(r.code, 0, "rendered placeholders");
    assert.match(r.stderr, /all-zero placeholder|scripts\/infra-values\.mjs/);
  });

  test(`${env}: every local release renders with helmfile's arguments and validates strictly`, () => {
    const names = localReleases(env);
    assert.deepEqual(names.sort(), ["argocd-repository", "kv-api", "platform-base", "platform-policies"]);
    for (const name of names) {
      const docs = renderRelease(env, name);
      assert.ok(docs.length > 0, `${name} rendered nothing`);
      assert.deepEqual(validateAll(docs), [], name);
    }
  });

  test(`${env}: Terraform outputs reach the kv-api objects and the ingress controller`, () => {
    const infra = provisioned[env].infra;
    const docs = renderRelease(env, "kv-api");
    const dep = one(docs, "Deployment");
    assert.ok(dep.spec.template.spec.containers[0].image.endsWith(`@${DIGEST}`));
    const cm = find(docs, "ConfigMap").find((c) => c.metadata.name === "kv-api").data;
    assert.equal(cm.REDIS_HOST, "10.10.16.3");
    assert.equal(cm.REDIS_PORT, "6379");
    const ca = find(docs, "ConfigMap").find((c) => c.metadata.name === "kv-api-redis-ca").data["ca.crt"];
    assert.equal(ca, infra.redis.ca);
    assert.match(ca, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    assert.equal(one(docs, "ServiceAccount").metadata.annotations["iam.gke.io/gcp-service-account"], infra.workloadServiceAccount);
    const np = one(docs, "NetworkPolicy").spec.egress.flatMap((e) => e.to.map((t) => t.ipBlock?.cidr)).filter(Boolean);
    assert.ok(np.includes("10.10.16.0/26"), `egress ${np}`);
    assert.equal(one(docs, "Ingress").spec.rules[0].host, `kv.${env}.example.net`);
    assert.equal(mergedValues(byName(env)["ingress-nginx"]).controller.service.loadBalancerIP, "203.0.113.10");
    for (const name of ["platform-base", "argocd-repository"]) {
      const store = find(renderRelease(env, name), "SecretStore")[0].spec.provider.gcpsm;
      assert.equal(store.projectID, infra.projectId);
      assert.equal(store.auth.workloadIdentity.clusterName, infra.cluster.name);
    }
  });
}

// --- Secrets: every Secret a workload references is produced by the same environment -------

/** Secret references of every pod template in docs: "namespace/name". */
function secretRefs(docs) {
  const refs = [];
  for (const d of docs) {
    const spec = d.kind === "Pod" ? d.spec : d.spec?.template?.spec ?? d.spec?.jobTemplate?.spec?.template?.spec;
    if (!spec?.containers) continue;
    const ns = d.metadata.namespace;
    for (const v of spec.volumes ?? []) {
      if (v.secret) refs.push(`${ns}/${v.secret.secretName}`);
      for (const s of v.projected?.sources ?? []) if (s.secret) refs.push(`${ns}/${s.secret.name}`);
    }
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      for (const e of c.envFrom ?? []) if (e.secretRef) refs.push(`${ns}/${e.secretRef.name}`);
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) refs.push(`${ns}/${e.valueFrom.secretKeyRef.name}`);
    }
  }
  return refs;
}
/** Secrets produced by docs: Secret objects and ExternalSecret targets. */
const producedSecrets = (docs) => new Set(docs.flatMap((d) =>
  d.kind === "Secret" ? [`${d.metadata.namespace}/${d.metadata.name}`]
    : d.kind === "ExternalSecret" ? [`${d.metadata.namespace}/${d.spec.target?.name ?? d.metadata.name}`] : []));
// Upstream charts reference Secrets through these values (their renders need the charts).
function upstreamSecretRefs(env) {
  const kps = byName(env)["kube-prometheus-stack"];
  const v = mergedValues(kps);
  return [
    ...(v.grafana?.admin?.existingSecret ? [`${kps.namespace}/${v.grafana.admin.existingSecret}`] : []),
    ...(v.alertmanager?.alertmanagerSpec?.secrets ?? []).map((s) => `${kps.namespace}/${s}`),
  ];
}
const missingSecrets = (refs, produced) => [...new Set(refs)].filter((r) => !produced.has(r)).sort();

for (const env of ENVS) {
  test(`${env}: every Secret a workload references is produced by the same environment`, () => {
    const docs = localReleases(env).flatMap((n) => renderRelease(env, n));
    const refs = [...secretRefs(docs), ...upstreamSecretRefs(env)];
    assert.ok(refs.includes("kv-api/kv-api-keys") && refs.includes("monitoring/grafana-admin") && refs.includes("monitoring/alertmanager-receivers"), `refs ${refs}`);
    assert.deepEqual(missingSecrets(refs, producedSecrets(docs)), []);
    // The check itself: without the platform-base release the monitoring Secrets are missing.
    const without = localReleases(env).filter((n) => n !== "platform-base").flatMap((n) => renderRelease(env, n));
    assert.deepEqual(missingSecrets(refs, producedSecrets(without)), ["monitoring/alertmanager-receivers", "monitoring/grafana-admin"]);
  });

  test(`${env}: each ExternalSecret reads through a store of its own namespace, as a service account of that namespace`, () => {
    const docs = localReleases(env).flatMap((n) => renderRelease(env, n));
    const stores = new Map(find(docs, "SecretStore").map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]));
    for (const es of find(docs, "ExternalSecret")) {
      const key = `${es.metadata.namespace}/${es.spec.secretStoreRef.name}`;
      assert.equal(es.spec.secretStoreRef.kind, "SecretStore", `${key}: no cluster-wide store`);
      assert.ok(stores.has(key), `${es.metadata.name}: store ${key} is not rendered`);
      assert.ok(es.spec.data.every((d) => d.remoteRef.version === "latest"), "rotation: the latest version");
    }
    // kv-api's store authenticates as the pod's own service account.
    const kv = renderRelease(env, "kv-api");
    const store = one(kv, "SecretStore").spec.provider.gcpsm.auth.workloadIdentity.serviceAccountRef.name;
    assert.equal(store, one(kv, "Deployment").spec.template.spec.serviceAccountName);
  });
}

test("the Argo CD repository Secret is labelled for Argo CD and holds no credential in Git", () => {
  const es = one(renderRelease("production", "argocd-repository"), "ExternalSecret");
  assert.equal(es.metadata.namespace, "argocd");
  assert.equal(es.spec.target.template.metadata.labels["argocd.argoproj.io/secret-type"], "repository");
  assert.deepEqual(es.spec.data.map((d) => [d.secretKey, d.remoteRef.key]), [["password", "argocd-repo-token"]]);
  assert.equal(es.spec.target.template.data.url, "https://gitlab.com/platform/kv-api.git");
});

// --- Namespaces and admission ---------------------------------------------------------------

// The restricted Pod Security profile, as the API server checks it, on one pod spec.
function restrictedViolations(spec) {
  const out = [];
  const psc = spec.securityContext ?? {};
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${c.name}: capabilities.drop ALL`);
    if ((sc.capabilities?.add ?? []).some((a) => a !== "NET_BIND_SERVICE")) out.push(`${c.name}: capabilities.add`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) out.push(`${c.name}: runAsNonRoot`);
    if ((sc.runAsUser ?? psc.runAsUser) === 0) out.push(`${c.name}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (!["RuntimeDefault", "Localhost"].includes(seccomp)) out.push(`${c.name}: seccompProfile`);
    if (sc.privileged) out.push(`${c.name}: privileged`);
  }
  for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`volume ${v.name}: hostPath`);
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push("host namespaces");
  return out;
}

for (const env of ENVS) {
  test(`${env}: every release namespace has Pod Security labels; kv-api is restricted and admits only signed images`, () => {
    const nsDocs = find(renderRelease(env, "platform-base"), "Namespace");
    const levels = Object.fromEntries(nsDocs.map((n) => [n.metadata.name, n.metadata.labels["pod-security.kubernetes.io/enforce"]]));
    const apps = parseAllDocuments(helm(["template", "p", join(repoRoot, "argocd/apps"), "--values", join(repoRoot, "argocd/apps", `values-${env}.yaml`)]).stdout).map((d) => d.toJS()).filter((d) => d?.kind === "Application");
    for (const app of apps.filter((a) => a.spec.source.plugin)) {
      const ns = app.spec.destination.namespace;
      if (ns === "kube-system" || ns === "argocd") continue;
      const managed = app.spec.syncPolicy.managedNamespaceMetadata?.labels?.["pod-security.kubernetes.io/enforce"];
      assert.ok(levels[ns] || managed, `${app.metadata.name}: namespace ${ns} gets no Pod Security level`);
      assert.ok(!(levels[ns] && app.spec.syncPolicy.syncOptions.includes("CreateNamespace=true")), `${ns}: created twice`);
    }
    assert.equal(levels["kv-api"], "restricted");
    assert.equal(nsDocs.find((n) => n.metadata.name === "kv-api").metadata.labels["policy.sigstore.dev/include"], "true");
    const spec = one(renderRelease(env, "kv-api"), "Deployment").spec.template.spec;
    assert.deepEqual(restrictedViolations(spec), []);
    // The checker itself rejects a pod that escalates.
    const bad = structuredClone(spec);
    bad.containers[0].securityContext.allowPrivilegeEscalation = true;
    assert.deepEqual(restrictedViolations(bad), ["kv-api: allowPrivilegeEscalation"]);
  });

  test(`${env}: the image policy covers the kv-api image and trusts only this project's protected refs`, () => {
    const image = one(renderRelease(env, "kv-api"), "Deployment").spec.template.spec.containers[0].image;
    const policies = find(renderRelease(env, "platform-policies"), "ClusterImagePolicy");
    const globRe = (g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\*/g, "\u0000").replace(/\*/g, "[^/]*").replace(/\u0000/g, ".*")}$`);
    const covering = policies.filter((p) => p.spec.images.some((i) => globRe(i.glob).test(image.split("@")[0])));
    assert.equal(covering.length, 1, `${image} is covered by ${covering.length} policies`);
    // The attestations the pipeline produces (docs/adr/0035) are required, not only the signature.
    assert.deepEqual(covering[0].spec.authorities[0].attestations.map((x) => x.predicateType).sort(), ["https://cyclonedx.org/bom", "https://slsa.dev/provenance/v1"]);
    const id = covering[0].spec.authorities[0].keyless.identities[0];
    assert.equal(id.issuer, "https://gitlab.com");
    const subject = new RegExp(id.subjectRegExp);
    assert.match("https://gitlab.com/platform/kv-api//.gitlab-ci.yml@refs/heads/main", subject);
    assert.match("https://gitlab.com/platform/kv-api//.gitlab-ci.yml@refs/tags/v1.2.3", subject);
    for (const bad of [
      "https://gitlab.com/platform/kv-api//.gitlab-ci.yml@refs/heads/feature",
      "https://gitlab.com/fork/kv-api//.gitlab-ci.yml@refs/heads/main",
      "https://gitlab.com/platform/kv-api//other.yml@refs/heads/main",
      "https://gitlab.com/platform/kv-api//.gitlab-ci.yml@refs/heads/main-evil",
      "https://evil.example/https://gitlab.com/platform/kv-api//.gitlab-ci.yml@refs/heads/main",
    ]) assert.doesNotMatch(bad, subject, bad);
  });
}

// --- Alertmanager: pages and tickets reach receivers ------------------------------------------

const amtool = (args) => spawnSync("amtool", args, { encoding: "utf8" });
const severities = () => [...new Set(readdirSync(join(chartDir, "files/rules")).filter((f) => f.endsWith(".yaml"))
  .flatMap((f) => [...readFileSync(join(chartDir, "files/rules", f), "utf8").matchAll(/severity: (\w+)/g)].map((m) => m[1])))].sort();

test("Alertmanager config passes amtool and routes every severity of the rules to a real receiver", () => {
  const v = mergedValues(byName("production")["kube-prometheus-stack"]);
  const dir = mkdtempSync(join(tmpdir(), "kv-am-"));
  const file = join(dir, "alertmanager.yaml");
  // The receivers read credentials from the mounted Secret; amtool checks those files exist.
  const secretsDir = "/etc/alertmanager/secrets/alertmanager-receivers/";
  const cfg = stringify(v.alertmanager.config).replaceAll(secretsDir, `${dir}/`);
  for (const f of ["pagerduty-routing-key", "slack-webhook-url"]) writeFileSync(join(dir, f), "test\n");
  writeFileSync(file, cfg);
  const check = amtool(["check-config", file]);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.deepEqual(severities(), ["page", "ticket"]);
  const route = (labels) => amtool(["config", "routes", "test", `--config.file=${file}`, ...labels]).stdout.trim();
  assert.equal(route(["severity=page", "alertname=KvApiErrorBudgetBurn"]), "page");
  assert.equal(route(["severity=ticket", "alertname=KvApiErrorBudgetBurn"]), "ticket");
  assert.equal(route(["alertname=Watchdog", "severity=none"]), "null");
  const receivers = Object.fromEntries(v.alertmanager.config.receivers.map((r) => [r.name, r]));
  assert.ok(receivers.page.pagerduty_configs[0].routing_key_file.startsWith(secretsDir));
  assert.ok(receivers.ticket.slack_configs[0].api_url_file.startsWith(secretsDir));
  assert.deepEqual(v.alertmanager.alertmanagerSpec.secrets, ["alertmanager-receivers"]);
  // The same config with a page routed nowhere is caught by the route test.
  const broken = structuredClone(v.alertmanager.config);
  broken.route.routes = broken.route.routes.filter((r) => r.receiver !== "page");
  writeFileSync(file, stringify(broken).replaceAll(secretsDir, `${dir}/`));
  assert.equal(route(["severity=page", "alertname=KvApiErrorBudgetBurn"]), "ticket");
});

test("Grafana files kv-api dashboards in the folder their ConfigMaps name", () => {
  const g = mergedValues(byName("production")["kube-prometheus-stack"]).grafana.sidecar.dashboards;
  const dashboards = find(renderRelease("production", "kv-api"), "ConfigMap").filter((c) => c.metadata.labels?.[g.label] === g.labelValue);
  assert.ok(dashboards.length >= 2, "dashboard ConfigMaps");
  for (const d of dashboards) assert.ok(d.metadata.annotations?.[g.folderAnnotation], `${d.metadata.name}: no ${g.folderAnnotation} annotation`);
  assert.equal(g.provider.foldersFromFilesStructure, true, "the sidecar ignores the folder annotation without it");
});

// --- SLO names, secrets in Git ------------------------------------------------------------------

// Every value the SLO rules and dashboards select with label="value" / label=~"regex".
function selectedValues(label) {
  const dirs = ["files/rules", "files/dashboards"].map((d) => join(chartDir, d));
  const texts = dirs.flatMap((d) => readdirSync(d, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => readFileSync(join(d, f.name), "utf8").replaceAll('\\"', '"')));
  const re = new RegExp(`[{,]\\s*${label}\\s*(=~?)\\s*"([^"]*)"`, "g");
  return [...new Set(texts.flatMap((t) => [...t.matchAll(re)].map((m) => `${m[1]}${m[2]}`)))].sort();
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
  });
}

test("no secret material in any helmfile values or environment file", () => {
  // Certificates are public (the Memorystore CA); any other PEM block is not.
  const secret = /-----BEGIN (?!CERTIFICATE-----)|password:\s*\S|apiKey:\s*\S|private_key|token:\s*\S/i;
  const files = new Set();
  for (const env of ENVS) {
    files.add(join(repoRoot, "helmfile.d/environments", `${env}.yaml`));
    for (const rel of loadHelmfile(env).releases) for (const v of rel.values ?? []) if (typeof v === "string") files.add(join(repoRoot, "helmfile.d", v));
  }
  assert.ok(files.size > 10, `${files.size} files`);
  for (const f of files) assert.doesNotMatch(readFileSync(f, "utf8"), secret, f);
  assert.match("-----BEGIN EC PRIVATE KEY-----", secret);
  assert.match("password: hunter2", secret);
});

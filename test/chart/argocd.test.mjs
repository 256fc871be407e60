// Argo CD: app-of-apps chart rendered and validated strictly; plugin and sidecar settings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseAllDocuments } from "yaml";
import { template, find, one, repoRoot, helm } from "./lib/helm.mjs";
import { validateAll } from "./lib/strict-validate.mjs";
import { loadHelmfile, helmArgs } from "./lib/helmfile.mjs";
import { provisionedEnv } from "./lib/infra.mjs";

const appsChart = join(repoRoot, "argocd/apps");

function renderApps(env) {
  const r = template({ chart: appsChart, release: "platform-apps", namespace: "argocd", values: [join(appsChart, `values-${env}.yaml`)] });
  assert.equal(r.code, 0, r.stderr);
  return r.docs;
}

test("apps chart passes helm lint --strict", () => {
  const r = helm(["lint", "--strict", appsChart]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

for (const env of ["production", "staging"]) {
  test(`${env}: Applications and AppProjects validate strictly`, () => {
    assert.deepEqual(validateAll(renderApps(env)), []);
  });

  test(`${env}: one plugin Application per helmfile release, sync policy and deletion`, () => {
    const docs = renderApps(env);
    const apps = find(docs, "Application").filter((a) => a.spec.source.plugin);
    const releases = loadHelmfile(env).releases;
    assert.deepEqual(apps.map((a) => a.metadata.name).sort(), releases.map((r) => r.name).sort());
    for (const app of apps) {
      const rel = releases.find((r) => r.name === app.metadata.name);
      const penv = Object.fromEntries(app.spec.source.plugin.env.map((e) => [e.name, e.value]));
      assert.deepEqual(penv, { HELMFILE_ENV: env, HELMFILE_SELECTOR: `name=${rel.name}` });
      assert.equal(app.spec.source.plugin.name, "helmfile");
      assert.equal(app.spec.destination.namespace, rel.namespace);
      assert.equal(app.spec.project, "kv-platform");
      const sp = app.spec.syncPolicy;
      assert.deepEqual(sp.automated, { prune: true, selfHeal: true });
      assert.ok(sp.retry.limit >= 3 && sp.retry.backoff.factor >= 2, "retries with backoff");
      assert.match(app.metadata.annotations["argocd.argoproj.io/compare-options"], /ServerSideDiff=true/);
      assert.ok(sp.syncOptions.includes("RespectIgnoreDifferences=true"));
      const caBundles = app.spec.ignoreDifferences.filter((d) => d.jqPathExpressions.some((e) => e.includes("caBundle")));
      assert.deepEqual(caBundles.map((d) => d.kind).sort(), ["CustomResourceDefinition", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]);
    }
    const app = (n) => apps.find((a) => a.metadata.name === n);
    // Releases that own CRDs or namespaces are never deleted with their Application.
    for (const n of ["external-secrets", "kube-prometheus-stack", "cert-manager", "policy-controller", "platform-base"]) {
      assert.equal(app(n).metadata.finalizers, undefined, `${n}: deleting the Application must not delete its CRDs`);
      assert.ok(app(n).spec.syncPolicy.syncOptions.includes("ServerSideApply=true") || n === "platform-base", `${n}: CRDs over the annotation limit`);
    }
    assert.deepEqual(app("kv-api").metadata.finalizers, ["resources-finalizer.argocd.argoproj.io"]);
  });

  test(`${env}: sync waves order the first boot by what each release's objects need`, () => {
    const apps = find(renderApps(env), "Application").filter((a) => a.spec.source.plugin);
    const wave = (n) => Number(apps.find((a) => a.metadata.name === n).metadata.annotations["argocd.argoproj.io/sync-wave"]);
    // Which release installs each CRD group (upstream charts: their CRDs and webhooks).
    const crdOwner = {
      "external-secrets.io": "external-secrets",
      "monitoring.coreos.com": "kube-prometheus-stack",
      "cert-manager.io": "cert-manager",
      "policy.sigstore.dev": "policy-controller",
    };
    const { state, releases } = loadHelmfile(env, undefined, [provisionedEnv(env)]);
    const rendered = Object.fromEntries(releases.filter((r) => r.local).map((r) => {
      const out = helm(helmArgs(state, r));
      assert.equal(out.code, 0, out.stderr);
      return [r.name, parseAllDocuments(out.stdout).map((d) => d.toJS()).filter(Boolean)];
    }));
    const edges = [];
    for (const [name, docs] of Object.entries(rendered)) {
      for (const d of docs) {
        const owner = crdOwner[d.apiVersion.split("/")[0]];
        if (owner) edges.push([owner, name, `${d.kind} ${d.apiVersion}`]);
        if (d.kind === "Ingress") {
          edges.push(["ingress-nginx", name, `IngressClass ${d.spec.ingressClassName} and its admission webhook`]);
          const issuer = d.metadata.annotations?.["cert-manager.io/cluster-issuer"];
          const from = Object.entries(rendered).find(([, ds]) => ds.some((x) => x.kind === "ClusterIssuer" && x.metadata.name === issuer));
          assert.ok(from, `ClusterIssuer ${issuer} is rendered by no release`);
          edges.push([from[0], name, `ClusterIssuer ${issuer}`]);
        }
      }
      // Namespaces that platform-base creates, for every release deploying into one.
    }
    const namespaces = rendered["platform-base"].filter((d) => d.kind === "Namespace").map((d) => d.metadata.name);
    for (const r of releases) if (namespaces.includes(r.namespace)) edges.push(["platform-base", r.name, `Namespace ${r.namespace}`]);
    // Upstream releases referencing Secrets that platform-base produces (grafana, alertmanager).
    edges.push(["platform-base", "kube-prometheus-stack", "Secrets grafana-admin, alertmanager-receivers"]);
    edges.push(["ingress-nginx", "cert-manager", "HTTP-01 solver ingress class"]);
    assert.ok(edges.length > 10, `${edges.length} edges`);
    for (const [provider, consumer, why] of edges) {
      if (provider === consumer) continue;
      assert.ok(wave(provider) < wave(consumer), `${consumer} (wave ${wave(consumer)}) needs ${why} from ${provider} (wave ${wave(provider)})`);
    }
  });

  test(`${env}: the bootstrap installs only the projects and the root; Argo CD creates the rest`, () => {
    const r = template({ chart: appsChart, release: "platform-apps", namespace: "argocd", values: [join(appsChart, `values-${env}.yaml`), { rootOnly: true }] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.docs.map((d) => `${d.kind}/${d.metadata.name}`).sort(), ["AppProject/kv-platform", "AppProject/platform-bootstrap", "Application/platform-apps"]);
    const root = one(r.docs, "Application");
    assert.deepEqual(root.spec.source.helm.parameters, [{ name: "rootOnly", value: "false" }], "Argo CD renders every child");
  });

  test(`${env}: AppProject is least privilege`, () => {
    const proj = find(renderApps(env), "AppProject").find((p) => p.metadata.name === "kv-platform").spec;
    assert.deepEqual(proj.sourceRepos, ["https://gitlab.com/platform/kv-api.git"]);
    assert.ok(!proj.sourceRepos.includes("*"));
    const namespaces = proj.destinations.map((d) => d.namespace).sort();
    assert.deepEqual(namespaces, ["argocd", "cert-manager", "cosign-system", "external-secrets", "ingress-nginx", "kube-system", "kv-api", "monitoring"]);
    assert.ok(proj.destinations.every((d) => d.server === "https://kubernetes.default.svc"));
    assert.ok(!proj.clusterResourceWhitelist.some((r) => r.group === "*" || r.kind === "*"));
    assert.ok(proj.clusterResourceWhitelist.some((r) => r.kind === "CustomResourceDefinition"));
  });
}

// argo-cd values as the bootstrap helmfile renders them (a .gotmpl values file).
const bootstrap = (extra = []) => loadHelmfile("production", join(repoRoot, "argocd/bootstrap/helmfile.yaml.gotmpl"), [provisionedEnv("production"), ...extra]);
const PLUGIN_DIGEST = `sha256:${"ab".repeat(32)}`;
const argoValues = () => bootstrap([{ argocdPlugin: { image: { digest: PLUGIN_DIGEST } } }]).releases.find((r) => r.name === "argo-cd").valueObjects[0];

test("bootstrap: argo-cd, the operator and the repository Secret before the root, in that order", () => {
  const { releases } = bootstrap([{ argocdPlugin: { image: { digest: PLUGIN_DIGEST } } }]);
  assert.deepEqual(releases.map((r) => r.name), ["argocd-namespace", "argo-cd", "external-secrets", "argocd-repository", "platform-apps"]);
  const rel = Object.fromEntries(releases.map((r) => [r.name, r]));
  assert.deepEqual(rel["argo-cd"].needs, ["argocd/argocd-namespace"]);
  assert.equal(rel["argo-cd"].createNamespace, undefined, "the namespace comes with its Pod Security labels");
  const { state } = bootstrap([{ argocdPlugin: { image: { digest: PLUGIN_DIGEST } } }]);
  const ns = parseAllDocuments(helm(helmArgs(state, rel["argocd-namespace"])).stdout).map((d) => d.toJS()).filter(Boolean);
  assert.deepEqual(ns.map((d) => [d.kind, d.metadata.name, d.metadata.labels["pod-security.kubernetes.io/enforce"]]), [["Namespace", "argocd", "baseline"]]);
  assert.deepEqual(rel["argocd-repository"].needs, ["argocd/argo-cd", "external-secrets/external-secrets"]);
  assert.deepEqual(rel["platform-apps"].needs, ["argocd/argocd-repository"]);
  assert.equal(rel["platform-apps"].valueObjects.at(-1).rootOnly, true);
  // The bootstrap's external-secrets is the one the Application adopts: same chart, version, values.
  const app = loadHelmfile("production").releases.find((r) => r.name === "external-secrets");
  assert.deepEqual([rel["external-secrets"].chart, rel["external-secrets"].version], [app.chart, app.version]);
  assert.deepEqual(rel["external-secrets"].valueObjects, app.valueObjects);
});

test("the repository SecretStore authenticates as Argo CD's repo-server service account", () => {
  const store = parse(readFileSync(join(repoRoot, "helmfile.d/values/platform/argocd-repository.yaml"), "utf8")).secretStores[0];
  assert.equal(store.namespace, "argocd");
  // The argo-cd chart would otherwise name it <release>-argocd-repo-server.
  assert.equal(argoValues().repoServer.serviceAccount.name, store.serviceAccount);
});

test("bootstrap refuses a plugin image that is not pinned by digest", () => {
  assert.throws(() => bootstrap(), /argocdPlugin\.image\.digest must pin ghcr\.io\/helmfile\/helmfile:v0\.171\.0/);
  assert.throws(() => bootstrap([{ argocdPlugin: { image: { digest: "latest" } } }]), /must pin/);
});

test("Helmfile CMP: init/generate run the plugin script from the rendered revision", () => {
  const v = argoValues();
  const plugin = v.configs.cmp.plugins.helmfile;
  assert.equal(v.configs.cmp.create, true);
  assert.deepEqual(plugin.init.command, ["bash", "argocd/plugin/helmfile-plugin.sh", "init"]);
  assert.deepEqual(plugin.generate.command, ["bash", "argocd/plugin/helmfile-plugin.sh", "generate"]);
  assert.ok(Number(v.configs.params["controller.repo.server.timeout.seconds"]) >= 180, "repo-server timeout for the largest render");
});

test("Helmfile CMP sidecar: digest-pinned image with the Helm CI renders with, argocd user 999", () => {
  const rs = argoValues().repoServer;
  const side = rs.extraContainers.find((c) => c.name === "helmfile-plugin");
  assert.equal(side.image, `ghcr.io/helmfile/helmfile:v0.171.0@${PLUGIN_DIGEST}`);
  // helmfile v0.171.0's image ships Helm v3.17.0: the version scripts/lib.sh installs for CI.
  const lib = readFileSync(join(repoRoot, "scripts/lib.sh"), "utf8");
  assert.match(lib, /^HELM_VERSION="v3\.17\.0"$/m);
  assert.deepEqual(side.command, ["/var/run/argocd/argocd-cmp-server"]);
  assert.equal(side.securityContext.runAsUser, 999);
  assert.equal(side.securityContext.runAsNonRoot, true);
  assert.equal(side.securityContext.readOnlyRootFilesystem, true);
  const env = Object.fromEntries(side.env.map((e) => [e.name, e.value]));
  assert.ok(env.PLUGIN_STATE_DIR.startsWith("/tmp/"), "state on the writable tmp volume");
  assert.match(env.ARGOCD_EXEC_TIMEOUT, /^\d+s$/);
  assert.ok(parseInt(env.ARGOCD_EXEC_TIMEOUT, 10) < Number(argoValues().configs.params["controller.repo.server.timeout.seconds"]));
  assert.ok(side.volumeMounts.some((m) => m.mountPath === "/tmp"));
  const m = side.volumeMounts.find((v) => v.mountPath === "/home/argocd/cmp-server/config/plugin.yaml");
  assert.equal(m.subPath, "helmfile.yaml");
  assert.equal(rs.volumes.find((v) => v.name === m.name).configMap.name, "argocd-cmp-cm");
});

// Argo CD: app-of-apps chart rendered and validated strictly; plugin and sidecar settings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { template, find, repoRoot, helm } from "./lib/helm.mjs";
import { validateAll } from "./lib/strict-validate.mjs";
import { loadHelmfile } from "./lib/helmfile.mjs";

const appsChart = join(repoRoot, "argocd/apps");
const argoValues = parse(readFileSync(join(repoRoot, "argocd/values/argo-cd.yaml"), "utf8"));

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

  test(`${env}: one plugin Application per helmfile release, waves and sync policy`, () => {
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
      assert.ok(sp.syncOptions.includes("CreateNamespace=true"));
    }
    const wave = (n) => Number(apps.find((a) => a.metadata.name === n).metadata.annotations["argocd.argoproj.io/sync-wave"]);
    assert.ok(wave("kube-prometheus-stack") < wave("ingress-nginx") && wave("ingress-nginx") < wave("kv-api"));
    assert.equal(wave("kube-prometheus-stack"), -2);
    const ssa = (n) => apps.find((a) => a.metadata.name === n).spec.syncPolicy.syncOptions.includes("ServerSideApply=true");
    assert.equal(ssa("kube-prometheus-stack"), true);
  });

  test(`${env}: AppProject is least privilege`, () => {
    const proj = find(renderApps(env), "AppProject").find((p) => p.metadata.name === "kv-platform").spec;
    assert.deepEqual(proj.sourceRepos, ["https://gitlab.com/platform/kv-api.git"]);
    assert.ok(!proj.sourceRepos.includes("*"));
    const namespaces = proj.destinations.map((d) => d.namespace).sort();
    assert.deepEqual(namespaces, ["ingress-nginx", "kube-system", "kv-api", "monitoring"]);
    assert.ok(proj.destinations.every((d) => d.server === "https://kubernetes.default.svc"));
    assert.ok(!proj.clusterResourceWhitelist.some((r) => r.group === "*" || r.kind === "*"));
    assert.ok(proj.clusterResourceWhitelist.some((r) => r.kind === "CustomResourceDefinition"));
  });
}

test("Helmfile CMP: init/generate commands render the selected release with CRDs", () => {
  const plugin = argoValues.configs.cmp.plugins.helmfile;
  assert.equal(argoValues.configs.cmp.create, true);
  const gen = plugin.generate.args.join(" ");
  assert.match(gen, /helmfile .*--environment "\$\{ARGOCD_ENV_HELMFILE_ENV:\?\}"/);
  assert.match(gen, /--selector "\$\{ARGOCD_ENV_HELMFILE_SELECTOR:\?\}"/);
  assert.match(gen, /template --include-crds/);
  assert.match(plugin.init.args.join(" "), /helmfile .* repos/);
});

test("Helmfile CMP sidecar: pinned image, argocd user 999, plugin.yaml from the ConfigMap", () => {
  const rs = argoValues.repoServer;
  const side = rs.extraContainers.find((c) => c.name === "helmfile-plugin");
  assert.match(side.image, /^ghcr\.io\/helmfile\/helmfile:v\d+\.\d+\.\d+(@sha256:[a-f0-9]{64})?$/);
  assert.deepEqual(side.command, ["/var/run/argocd/argocd-cmp-server"]);
  assert.equal(side.securityContext.runAsUser, 999);
  assert.equal(side.securityContext.runAsNonRoot, true);
  assert.equal(side.securityContext.readOnlyRootFilesystem, true);
  const m = side.volumeMounts.find((v) => v.mountPath === "/home/argocd/cmp-server/config/plugin.yaml");
  assert.equal(m.subPath, "helmfile.yaml");
  assert.equal(rs.volumes.find((v) => v.name === m.name).configMap.name, "argocd-cmp-cm");
});

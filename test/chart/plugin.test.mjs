// argocd/plugin/helmfile-plugin.sh run as Argo CD runs it (init, then generate, in the
// checked-out revision, with the build environment Argo CD sets), against a helmfile stand-in
// that records its arguments and environment: helmfile itself cannot be installed here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./lib/helm.mjs";

const script = join(repoRoot, "argocd/plugin/helmfile-plugin.sh");

// Records one JSON line per call; `list --output json` answers with FAKE_LIST.
function fakeHelmfile(dir) {
  const bin = join(dir, "helmfile");
  writeFileSync(bin, `#!/usr/bin/env bash
printf '%s\\n' "$(node -e 'console.log(JSON.stringify({argv: process.argv.slice(1), home: process.env.HOME, cache: process.env.HELM_CACHE_HOME}))' -- "$@")" >> "${dir}/calls.jsonl"
for a in "$@"; do [[ $a == list ]] && { printf '%s' "$FAKE_LIST"; exit 0; }; done
[[ " $* " == *" template "* ]] && echo "kind: ConfigMap"
exit 0
`);
  chmodSync(bin, 0o755);
  return bin;
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "kv-plugin-"));
  return { dir, bin: fakeHelmfile(dir), state: join(dir, "state") };
}
function run(ctx, phase, env = {}) {
  const r = spawnSync("bash", [script, phase], {
    cwd: repoRoot,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HELMFILE_BIN: ctx.bin,
      PLUGIN_STATE_DIR: ctx.state,
      ARGOCD_APP_NAME: "kube-prometheus-stack",
      ARGOCD_APP_REVISION: "1111111",
      ARGOCD_ENV_HELMFILE_ENV: "production",
      ARGOCD_ENV_HELMFILE_SELECTOR: "name=kube-prometheus-stack",
      KUBE_VERSION: "1.33.4-gke.1245000",
      KUBE_API_VERSIONS: "v1,apps/v1,discovery.k8s.io/v1,discovery.k8s.io/v1/EndpointSlice,monitoring.coreos.com/v1",
      FAKE_LIST: '[{"name":"kube-prometheus-stack","chart":"prometheus-community/kube-prometheus-stack","version":"78.5.0"}]',
      ...env,
    },
  });
  return r;
}
const calls = (ctx) => (existsSync(join(ctx.dir, "calls.jsonl")) ? readFileSync(join(ctx.dir, "calls.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)) : []);
const subcommands = (ctx) => calls(ctx).map((c) => c.argv.find((a) => ["list", "repos", "template"].includes(a)));

test("generate passes the cluster's version and API list as state values, and renders with CRDs", () => {
  const ctx = setup();
  const r = run(ctx, "generate");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "kind: ConfigMap");
  const { argv } = calls(ctx)[0];
  const i = argv.indexOf("template");
  assert.ok(i > 0);
  assert.deepEqual(argv.slice(i), ["template", "--include-crds", "--skip-tests", "--skip-deps"]);
  const sets = argv.flatMap((a, k) => (a === "--state-values-set" ? [argv[k + 1]] : []));
  assert.deepEqual(sets, [
    "cluster.kubeVersion=v1.33.4",
    "cluster.apiVersions={v1,apps/v1,discovery.k8s.io/v1,discovery.k8s.io/v1/EndpointSlice,monitoring.coreos.com/v1}",
  ]);
  assert.deepEqual(argv.slice(argv.indexOf("--environment"), argv.indexOf("--environment") + 4), ["--environment", "production", "--selector", "name=kube-prometheus-stack"]);
  assert.equal(argv[argv.indexOf("--file") + 1], "helmfile.d/helmfile.yaml.gotmpl");
});

test("repositories are updated once per revision, and again for a new one", () => {
  const ctx = setup();
  for (let k = 0; k < 3; k++) assert.equal(run(ctx, "init").status, 0);
  assert.deepEqual(subcommands(ctx), ["list", "repos"]);
  const r = run(ctx, "init", { ARGOCD_APP_REVISION: "2222222" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(subcommands(ctx), ["list", "repos", "list", "repos"]);
});

test("each Application gets its own Helm home", () => {
  const ctx = setup();
  run(ctx, "init");
  run(ctx, "init", { ARGOCD_APP_NAME: "ingress-nginx", ARGOCD_ENV_HELMFILE_SELECTOR: "name=ingress-nginx" });
  const homes = calls(ctx).map((c) => c.home);
  assert.equal(new Set(homes).size, 2, `homes ${homes}`);
  for (const c of calls(ctx)) assert.ok(c.cache.startsWith(c.home), "Helm's cache lives in the Application's home");
  assert.ok(homes.every((h) => h.startsWith(ctx.state)));
});

test("a release of local charts needs no chart repository", () => {
  const ctx = setup();
  const r = run(ctx, "init", { ARGOCD_APP_NAME: "kv-api", ARGOCD_ENV_HELMFILE_SELECTOR: "name=kv-api", FAKE_LIST: '[{"name":"kv-api","chart":"../charts/kv-api","version":""}]' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(subcommands(ctx), ["list"]);
  assert.match(r.stderr, /no repositories needed/);
});

test("missing or malformed Argo CD inputs fail with a message, before helmfile runs", () => {
  const ctx = setup();
  const cases = [
    [{ ARGOCD_ENV_HELMFILE_ENV: "" }, /sets no HELMFILE_ENV/],
    [{ ARGOCD_ENV_HELMFILE_SELECTOR: "" }, /sets no HELMFILE_SELECTOR/],
    [{ KUBE_VERSION: "latest" }, /KUBE_VERSION is not a Kubernetes version/],
    [{ KUBE_API_VERSIONS: "v1,a=b" }, /KUBE_API_VERSIONS holds characters/],
  ];
  for (const [env, message] of cases) {
    const r = run(ctx, "generate", env);
    assert.notEqual(r.status, 0, JSON.stringify(env));
    assert.match(r.stderr, message);
  }
  assert.match(run(ctx, "discover").stderr, /usage/);
  assert.deepEqual(calls(ctx), []);
});
